import { sql } from 'kysely';
import type { Command } from 'commander';
import { migrationStatus } from '../db/migrator.js';
import { initTensorflow } from '../training/backend/tf-backend.js';
import { withDatabase, type DbCommandOptions } from './context.js';
import { formatTable, printJson, printLines } from './output.js';

const COUNTED = [
  'teams',
  'events',
  'markets',
  'feature_definitions',
  'features_historical',
  'training_datasets',
  'probability_models',
  'model_training_runs',
  'edges',
] as const;

/** `precog doctor`: what Precog runs on here. */
export function registerDoctorCommands(program: Command): void {
  program
    .command('doctor')
    .description('engine, database location, schema version, row counts and the TensorFlow.js backend in use')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog doctor --json')
    .action(async (opts: DbCommandOptions & { json?: boolean }) => {
      await withDatabase(
        opts,
        async (conn) => {
          const migrations = await migrationStatus(conn.db);
          const applied = migrations.filter((m) => m.appliedAt);
          const counts: Record<string, number> = {};
          if (migrations.every((m) => m.appliedAt)) {
            for (const table of COUNTED) {
              const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(conn.db);
              counts[table] = rows[0]!.n;
            }
          }
          const { rows } = await sql<{ version: string }>`select version() as version`.execute(conn.db);
          const tf = await initTensorflow();
          const report = {
            engine: conn.engine,
            location: conn.location,
            server_version: rows[0]!.version,
            schema_version: applied.at(-1)?.name ?? null,
            pending_migrations: migrations.length - applied.length,
            row_counts: counts,
            tensorflow_backend: tf.backend,
            tensorflow_skipped: tf.skipped,
            node: process.version,
          };
          if (opts.json) printJson(report);
          else
            printLines(
              `engine      ${report.engine} (${report.server_version.split(' on ')[0]})`,
              `database    ${report.location}`,
              `schema      ${report.schema_version ?? 'none'}${report.pending_migrations ? ` (${report.pending_migrations} pending: run precog db migrate)` : ''}`,
              `tensorflow  ${report.tensorflow_backend}${tf.skipped.length ? ` (skipped: ${tf.skipped.map((s) => s.backend).join(', ')})` : ''}`,
              `node        ${report.node}`,
              '',
              formatTable(['table', 'rows'], Object.entries(counts)),
            );
        },
        { migrate: false },
      );
    });
}
