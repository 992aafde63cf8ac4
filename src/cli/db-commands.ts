import type { Command } from 'commander';
import { migrateToLatest, migrationStatus } from '../db/migrator.js';
import { withDatabase, type DbCommandOptions } from './context.js';
import { formatTable, printJson, printLines } from './output.js';

interface JsonOption extends DbCommandOptions {
  readonly json?: boolean;
}

/** `precog db migrate | status`. */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database schema: migrate and inspect');

  db.command('migrate')
    .description('apply every pending migration (idempotent)')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  DATABASE_URL=postgres://localhost/precog precog db migrate --json')
    .action(async (opts: JsonOption) => {
      await withDatabase(
        opts,
        async (conn) => {
          const applied = await migrateToLatest(conn.db);
          if (opts.json) printJson({ engine: conn.engine, location: conn.location, applied });
          else printLines(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
        },
        { migrate: false },
      );
    });

  db.command('status')
    .description('list migrations and whether each is applied')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog db status --json')
    .action(async (opts: JsonOption) => {
      await withDatabase(
        opts,
        async (conn) => {
          const migrations = await migrationStatus(conn.db);
          const pending = migrations.filter((m) => !m.appliedAt).length;
          if (opts.json) printJson({ engine: conn.engine, location: conn.location, migrations, pending });
          else
            printLines(
              `${conn.engine} at ${conn.location}`,
              formatTable(
                ['migration', 'applied at'],
                migrations.map((m) => [m.name, m.appliedAt ?? 'pending']),
              ),
            );
        },
        { migrate: false },
      );
    });
}
