import fs from 'node:fs';
import type { Command } from 'commander';
import { precogHome } from '../db/connection.js';
import { buildDataset } from '../datasets/dataset-builder.js';
import { getDataset, listDatasets, type RegisteredDataset } from '../datasets/dataset-registry.js';
import { verifyDataset } from '../datasets/dataset-verify.js';
import { withDatabase, type DbCommandOptions } from './context.js';
import { CommandFailedError, formatTable, printJson, printLines, UsageError } from './output.js';

interface JsonOption extends DbCommandOptions {
  readonly json?: boolean;
}

/** A registered dataset as commands print it. */
export function datasetSummary(d: RegisteredDataset) {
  return {
    ref: `${d.dataset_name}@${d.dataset_version}`,
    dataset_id: d.dataset_id,
    sport: d.sport,
    rows: d.row_count,
    start_date: d.start_date,
    end_date: d.end_date,
    feature_ids: d.feature_ids,
    target: d.target_variable,
    knowledge_cutoff: d.knowledge_cutoff.toISOString(),
    file: d.metadata.file_path,
    sha256: d.metadata.sha256,
    created_at: d.created_at.toISOString(),
  };
}

function auditTable(d: RegisteredDataset): string {
  return formatTable(
    ['column', 'null %', 'max lead (ms)', 'median age (h)', 'p95 age (h)'],
    d.metadata.audit.columns.map((c) => [
      c.column,
      (c.null_fraction * 100).toFixed(1),
      c.max_lead_ms,
      c.staleness_hours.median,
      c.staleness_hours.p95,
    ]),
  );
}

/** `precog dataset build | list | show | verify`. */
export function registerDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description('point-in-time training datasets (Arrow files)');

  dataset
    .command('build <spec>')
    .description('build and register a dataset from a JSON spec (same spec and data again: no-op)')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog dataset build specs/nfl_elo.json --json')
    .action(async (specFile: string, opts: JsonOption) => {
      let spec: unknown;
      try {
        spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
      } catch (error) {
        throw new UsageError(`${specFile}: cannot read JSON: ${(error as Error).message}`, { file: specFile });
      }
      await withDatabase(opts, async (conn) => {
        const { dataset: d, created } = await buildDataset(conn, spec, precogHome());
        if (opts.json) printJson({ ...datasetSummary(d), created, audit: d.metadata.audit });
        else
          printLines(
            `${created ? 'built' : 'unchanged'} ${d.dataset_name}@${d.dataset_version}: ${d.row_count} rows → ${d.metadata.file_path}`,
            `sha256 ${d.metadata.sha256}, knowledge cutoff ${d.knowledge_cutoff.toISOString()}`,
            auditTable(d),
          );
      });
    });

  dataset
    .command('list')
    .description('registered datasets')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog dataset list')
    .action(async (opts: JsonOption) => {
      await withDatabase(opts, async (conn) => {
        const rows = (await listDatasets(conn.db)).map(datasetSummary);
        if (opts.json) printJson(rows);
        else
          printLines(
            formatTable(
              ['dataset', 'rows', 'from', 'to', 'cutoff', 'sha256'],
              rows.map((r) => [r.ref, r.rows, r.start_date, r.end_date, r.knowledge_cutoff, r.sha256.slice(0, 12)]),
            ),
          );
      });
    });

  dataset
    .command('show <ref>')
    .description('one dataset: spec, columns, audit')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog dataset show nfl_elo@1')
    .action(async (ref: string, opts: JsonOption) => {
      await withDatabase(opts, async (conn) => {
        const d = await getDataset(conn.db, ref);
        if (opts.json) printJson({ ...datasetSummary(d), spec: d.metadata.spec, audit: d.metadata.audit });
        else
          printLines(
            ...Object.entries(datasetSummary(d)).map(([k, v]) => `${k.padEnd(17)} ${Array.isArray(v) ? v.join(',') : String(v)}`),
            '',
            auditTable(d),
          );
      });
    });

  dataset
    .command('verify <ref>')
    .description('re-hash the file and rebuild it from the database: exit 1 if either differs')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog dataset verify nfl_elo@1')
    .action(async (ref: string, opts: JsonOption) => {
      await withDatabase(opts, async (conn) => {
        const report = await verifyDataset(conn, ref);
        if (opts.json) printJson(report);
        else printLines(report.ok ? `${ref}: verified (sha256 ${report.registered_sha256})` : `${ref}: FAILED`, ...report.problems);
        if (!report.ok) throw new CommandFailedError(`${ref} failed verification: ${report.problems.join('; ')}`, { ref });
      });
    });
}
