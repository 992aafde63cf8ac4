import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Command } from 'commander';
import { z } from 'zod';
import { computeAndStoreTeamForm } from '../features/compute/compute-team-form.js';
import { ingestFile } from '../features/ingest.js';
import { parseInstant } from '../features/ingest-row.js';
import { getFeatureValuesAt } from '../features/point-in-time.js';
import { getFeature, listFeatures, registerFeature, setFeatureStatus } from '../features/registry.js';
import { RetrievalModeSchema, parseTtl } from '../features/retrieval-spec.js';
import { withDatabase, type DbCommandOptions } from './context.js';
import { formatTable, printJson, printLines, requireInputFile, UsageError } from './output.js';
import { createProgress } from './progress.js';

interface JsonOption extends DbCommandOptions {
  readonly json?: boolean;
}

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: cannot read JSON: ${(error as Error).message}`, { file });
  }
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** `precog features register | list | show | deprecate | ingest | get`. */
export function registerFeaturesCommands(program: Command): void {
  const features = program.command('features').description('feature registry, ingestion and point-in-time reads');

  features
    .command('register <file>')
    .description('register a feature definition (JSON); identical again is a no-op')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog features register features/elo_rating.json')
    .action(async (file: string, opts: JsonOption) => {
      const definition = readJsonFile(file);
      await withDatabase(opts, async (conn) => {
        const { feature, created } = await registerFeature(conn.db, definition);
        const ref = `${feature.feature_name}@${feature.feature_version}`;
        if (opts.json) printJson({ ref, feature_id: feature.feature_id, created });
        else printLines(created ? `registered ${ref} (id ${feature.feature_id})` : `${ref} already registered, unchanged`);
      });
    });

  features
    .command('list')
    .description('every feature version with value counts and time range')
    .option('--name <name>', 'only versions of this feature')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog features list --json')
    .action(async (opts: JsonOption & { name?: string }) => {
      await withDatabase(opts, async (conn) => {
        const rows = await listFeatures(conn.db, opts.name ? { name: opts.name } : {});
        if (opts.json) {
          printJson(
            rows.map((r) => ({
              ref: `${r.feature_name}@${r.feature_version}`,
              feature_id: r.feature_id,
              entity_type: r.entity_type,
              status: r.status,
              value_count: r.value_count,
              first_timestamp: iso(r.first_timestamp),
              last_timestamp: iso(r.last_timestamp),
            })),
          );
        } else {
          printLines(
            formatTable(
              ['feature', 'entity', 'status', 'values', 'from', 'to'],
              rows.map((r) => [
                `${r.feature_name}@${r.feature_version}`,
                r.entity_type,
                r.status,
                r.value_count,
                iso(r.first_timestamp)?.slice(0, 10),
                iso(r.last_timestamp)?.slice(0, 10),
              ]),
            ),
          );
        }
      });
    });

  features
    .command('show <ref>')
    .description('one feature version: definition, value count, time range')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog features show elo_rating@538')
    .action(async (ref: string, opts: JsonOption) => {
      await withDatabase(opts, async (conn) => {
        const feature = await getFeature(conn.db, ref);
        const stats = (await listFeatures(conn.db, { name: feature.feature_name })).find(
          (f) => f.feature_id === feature.feature_id,
        );
        const out = {
          ref,
          ...feature,
          created_at: iso(feature.created_at),
          value_count: stats?.value_count ?? 0,
          entity_count: stats?.entity_count ?? 0,
          first_timestamp: iso(stats?.first_timestamp),
          last_timestamp: iso(stats?.last_timestamp),
        };
        if (opts.json) printJson(out);
        else printLines(...Object.entries(out).map(([k, v]) => `${k.padEnd(20)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`));
      });
    });

  features
    .command('deprecate <ref>')
    .description('mark a feature version deprecated (its values stay)')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog features deprecate rest_days@1')
    .action(async (ref: string, opts: JsonOption) => {
      await withDatabase(opts, async (conn) => {
        const feature = await setFeatureStatus(conn.db, ref, 'deprecated');
        if (opts.json) printJson({ ref, status: feature.status });
        else printLines(`${ref} is ${feature.status}`);
      });
    });

  features
    .command('ingest <file>')
    .description('ingest feature values from CSV or NDJSON, all or nothing')
    .option('--source <name>', 'external_source for rows that leave it empty', 'import')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText(
      'after',
      '\nColumns: feature (name@version), entity, timestamp, value, [available_at, external_source,\n' +
        'external_reference_id, metadata].\nExample:\n  precog features ingest ratings.csv --source espn_api --json',
    )
    .action(async (file: string, opts: JsonOption & { source: string }) => {
      requireInputFile(file);
      await withDatabase(opts, async (conn) => {
        const progress = createProgress('ingest', opts.json === true);
        try {
          const report = await ingestFile(conn, file, { defaultSource: opts.source, onProgress: progress.update });
          progress.stop();
          if (opts.json) printJson(report);
          else
            printLines(
              `${file}: read ${report.read}, inserted ${report.inserted}, corrected ${report.corrected}, unchanged ${report.unchanged}`,
            );
        } finally {
          progress.stop();
        }
      });
    });

  features
    .command('compute <kind>')
    .description('compute features from stored results through the normal ingestion (kind: team-form)')
    .option('--sport <sport>', 'which games', 'nfl')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText(
      'after',
      '\nteam-form: margin_avg, points_for_avg, points_against_avg, win_rate_season, rest_days (team features,\n' +
        'each stamped before the games it feeds).\nExample:\n  precog features compute team-form --sport nfl --json',
    )
    .action(async (kind: string, opts: JsonOption & { sport: string }) => {
      if (kind !== 'team-form') throw new UsageError(`unknown kind "${kind}" (known: team-form)`);
      await withDatabase(opts, async (conn) => {
        const { features: refs, report } = await computeAndStoreTeamForm(conn, opts.sport);
        if (opts.json) printJson({ features: refs, ...report });
        else printLines(`${refs.join(', ')}: read ${report.read}, inserted ${report.inserted}, corrected ${report.corrected}, unchanged ${report.unchanged}`);
      });
    });

  features
    .command('get')
    .description('point-in-time values for (entity, time) rows')
    .requiredOption('--entities <csv>', 'CSV with columns entity,time')
    .requiredOption('--features <refs>', 'comma-separated name@version list')
    .option('--mode <mode>', 'event (value at T) or known (what was known at T)', 'event')
    .option('--ttl <duration>', 'values older than this are null, e.g. 30d')
    .option('--strict', 'only values strictly before the time')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog features get --entities games.csv --features elo_rating@538,rest_days@1 --mode known')
    .action(
      async (
        opts: JsonOption & { entities: string; features: string; mode: string; ttl?: string; strict?: boolean },
      ) => {
        const mode = RetrievalModeSchema.safeParse(opts.mode);
        if (!mode.success) throw new UsageError(`--mode must be event or known, not "${opts.mode}"`);
        const ttlMs = opts.ttl ? parseTtl(opts.ttl) : null;
        const rows = readEntityRows(opts.entities);
        const refs = opts.features.split(',').map((s) => s.trim()).filter(Boolean);
        await withDatabase(opts, async (conn) => {
          const result = await getFeatureValuesAt(conn.db, rows, refs, { mode: mode.data, ttlMs, strict: opts.strict === true });
          const table = rows.map((r, i) => {
            const out: Record<string, string | number | null> = { entity: r.entity, time: r.time.toISOString() };
            refs.forEach((ref, f) => (out[ref] = result.values[f]![i]?.value ?? null));
            return out;
          });
          if (opts.json) printJson(table);
          else printLines(formatTable(['entity', 'time', ...refs], table.map((r) => Object.values(r))));
        });
      },
    );
}

const EntityRowSchema = z.object({ entity: z.string().min(1), time: z.string().min(1) });

function readEntityRows(file: string): { entity: string; time: Date }[] {
  requireInputFile(file);
  const records = parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as unknown[];
  return records.map((record, i) => {
    const row = EntityRowSchema.safeParse(record);
    if (!row.success) throw new UsageError(`${file}:${i + 2}: needs columns entity,time`, { file, line: i + 2 });
    const t = parseInstant(row.data.time);
    if (!t.ok) throw new UsageError(`${file}:${i + 2} time "${row.data.time}": ${t.reason}`, { file, line: i + 2 });
    return { entity: row.data.entity, time: new Date(t.iso) };
  });
}
