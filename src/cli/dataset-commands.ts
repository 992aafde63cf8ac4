import fs from 'node:fs';
import type { Command } from 'commander';
import { precogHome } from '../db/connection.js';
import { buildDataset, rebuildRegistered } from '../datasets/dataset-builder.js';
import { diffDatasets, type DatasetDiff } from '../datasets/dataset-diff.js';
import { parseInstant } from '../features/ingest-row.js';
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

  dataset
    .command('rebuild <ref>')
    .description('rebuild from the stored spec and knowledge cutoff; exit 1 unless the sha256 is the registered one')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog dataset rebuild nfl_elo@1')
    .action(async (ref: string, opts: JsonOption) => {
      await withDatabase(opts, async (conn) => {
        const registered = await getDataset(conn.db, ref);
        const rebuilt = await rebuildRegistered(conn, registered, { install: true });
        const identical = rebuilt.sha256 === registered.metadata.sha256;
        const out = {
          ref,
          knowledge_cutoff: registered.knowledge_cutoff.toISOString(),
          registered_sha256: registered.metadata.sha256,
          rebuilt_sha256: rebuilt.sha256,
          identical,
        };
        if (opts.json) printJson(out);
        else printLines(identical ? `${ref}: rebuilt byte-identical (sha256 ${rebuilt.sha256})` : `${ref}: rebuild DIFFERS`);
        if (!identical) {
          throw new CommandFailedError(
            `${ref}: rebuilding at knowledge cutoff ${out.knowledge_cutoff} gives sha256 ${rebuilt.sha256}, ` +
              `not the registered ${registered.metadata.sha256}`,
            out,
          );
        }
      });
    });

  dataset
    .command('diff <a> [b]')
    .description('compare two registered datasets, or one against a rebuild of its spec at a later cutoff')
    .option('--cutoff <time>', 'with one dataset: the later knowledge cutoff (ISO-8601, or "now")', 'now')
    .option('--top <n>', 'largest changes listed per column', '5')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExamples:\n  precog dataset diff nfl_elo@1 nfl_elo@2\n  precog dataset diff nfl_elo@1 --cutoff now --json')
    .action(async (a: string, b: string | undefined, opts: JsonOption & { cutoff: string; top: string }) => {
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 0) throw new UsageError(`--top must be a whole number, not "${opts.top}"`);
      let against: string | Date;
      if (b) against = b;
      else if (opts.cutoff === 'now') against = new Date();
      else {
        const t = parseInstant(opts.cutoff);
        if (!t.ok) throw new UsageError(`--cutoff "${opts.cutoff}": ${t.reason}`);
        against = new Date(t.iso);
      }
      await withDatabase(opts, async (conn) => {
        const diff = await diffDatasets(conn, a, against, top);
        if (opts.json) printJson(diff);
        else printLines(...formatDiff(diff));
      });
    });
}

function formatDiff(diff: DatasetDiff): string[] {
  const lines = [
    `a: ${diff.a.ref} (cutoff ${diff.a.knowledge_cutoff}, ${diff.a.rows} rows)`,
    `b: ${diff.b.ref} (cutoff ${diff.b.knowledge_cutoff}, ${diff.b.rows} rows)`,
    diff.identical ? 'identical' : `rows added ${diff.rows_added.length}, removed ${diff.rows_removed.length}`,
  ];
  if (diff.identical) return lines;
  lines.push(formatTable(['column', 'values changed'], diff.columns.map((c) => [c.column, c.changed])));
  for (const c of diff.columns.filter((col) => col.largest.length > 0)) {
    lines.push('', `${c.column}: largest changes`);
    lines.push(
      formatTable(
        ['event', 'entity', 'label time', 'a', 'b', 'responsible (source/ref @ known)'],
        c.largest.map((ch) => [
          ch.event_id,
          ch.entity,
          ch.label_time,
          ch.before,
          ch.after,
          ch.responsible.map((r) => `${r.external_source}/${r.external_reference_id ?? '-'} @ ${r.available_at}`).join('; '),
        ]),
      ),
    );
  }
  return lines;
}
