import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { TrainingDatasetRow } from '../db/tables/training-datasets.table.js';
import { getDataset, listDatasets, type RegisteredDataset } from '../datasets/dataset-registry.js';
import type { ColumnAuditView, DatasetDetail, DatasetListItem } from './api-types.js';
import { iso } from './json-values.js';
import { parseRequest } from './request-input.js';

const NullableNumber = z.number().nullable().catch(null);

const ColumnAuditSchema = z.object({
  column: z.string(),
  rows: z.number().catch(0),
  nulls: z.number().catch(0),
  null_fraction: z.number().catch(0),
  max_lead_ms: NullableNumber,
  max_knowledge_lead_ms: NullableNumber,
  staleness_hours: z
    .object({ median: NullableNumber, p95: NullableNumber, max: NullableNumber })
    .catch({ median: null, p95: null, max: null }),
});

// Read leniently: a dataset registered by an older build still shows what it has.
const MetadataSchema = z
  .object({
    file_path: z.string().nullable().catch(null),
    sha256: z.string().nullable().catch(null),
    bytes: NullableNumber,
    spec: z.unknown(),
    columns: z.array(z.string()).catch([]),
    audit: z
      .object({ rows: NullableNumber, columns: z.array(z.unknown()).catch([]) })
      .catch({ rows: null, columns: [] }),
  })
  .catch({ file_path: null, sha256: null, bytes: null, spec: null, columns: [], audit: { rows: null, columns: [] } });

const RefParam = z.string().min(3).max(130);

function readMetadata(dataset: RegisteredDataset | TrainingDatasetRow) {
  const meta = MetadataSchema.parse(dataset.metadata);
  const columns: ColumnAuditView[] = [];
  for (const c of meta.audit.columns) {
    const parsed = ColumnAuditSchema.safeParse(c);
    if (parsed.success) columns.push(parsed.data);
  }
  return { ...meta, auditColumns: columns };
}

function toListItem(d: RegisteredDataset): DatasetListItem {
  const meta = readMetadata(d);
  return {
    ref: `${d.dataset_name}@${d.dataset_version}`,
    dataset_id: d.dataset_id,
    name: d.dataset_name,
    version: d.dataset_version,
    sport: d.sport,
    start_date: d.start_date,
    end_date: d.end_date,
    row_count: d.row_count,
    feature_count: d.feature_ids.length,
    target_variable: d.target_variable,
    sha256: meta.sha256,
    created_at: iso(d.created_at),
  };
}

function specMode(spec: unknown): string | undefined {
  const parsed = z.object({ mode: z.string() }).safeParse(spec);
  return parsed.success ? parsed.data.mode : undefined;
}

/**
 * The leakage verdict of a stored audit: every value's event time at or before its label
 * time, and in known-at mode every value known by then. One sentence per offending column.
 */
export function auditProblems(columns: readonly ColumnAuditView[], mode: string | undefined): string[] {
  const problems: string[] = [];
  for (const c of columns) {
    if (c.max_lead_ms !== null && c.max_lead_ms > 0) {
      problems.push(`${c.column}: a value's event time is ${c.max_lead_ms} ms after its label time`);
    }
    if (mode === 'known' && c.max_knowledge_lead_ms !== null && c.max_knowledge_lead_ms > 0) {
      problems.push(`${c.column}: a value became known ${c.max_knowledge_lead_ms} ms after its label time`);
    }
  }
  return problems;
}

/**
 * `/api/datasets`: every registered dataset, newest first; `/:ref` (`name@version`) one
 * dataset with its spec, feature list, file checksum, leakage audit (null fractions,
 * leads, staleness) and the runs trained on it. An unknown ref is a 404.
 */
export function datasetsRoutes(db: Kysely<Database>): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    parseRequest(z.object({}).strict(), c.req.query(), 'query string');
    return c.json((await listDatasets(db)).map(toListItem));
  });

  app.get('/:ref', async (c) => {
    const ref = parseRequest(RefParam, c.req.param('ref'), 'dataset reference');
    const dataset = await getDataset(db, ref);
    const meta = readMetadata(dataset);
    const ids = dataset.feature_ids;
    const defs = ids.length
      ? await db
          .selectFrom('feature_definitions')
          .select(['feature_id', 'feature_name', 'feature_version', 'entity_type'])
          .where('feature_id', 'in', ids)
          .execute()
      : [];
    const byId = new Map(defs.map((d) => [d.feature_id, d]));
    const runs = await db
      .selectFrom('model_training_runs as r')
      .innerJoin('probability_models as m', 'm.model_id', 'r.model_id')
      .select(['r.run_id', 'r.status', 'm.model_name', 'm.model_version'])
      .where('r.dataset_id', '=', dataset.dataset_id)
      .orderBy('r.run_id')
      .execute();
    const problems =
      meta.audit.rows === null && meta.auditColumns.length === 0
        ? ['no leakage audit was recorded with this dataset']
        : auditProblems(meta.auditColumns, specMode(meta.spec));
    const detail: DatasetDetail = {
      ...toListItem(dataset),
      spec: meta.spec ?? null,
      features: ids.map((id) => {
        const d = byId.get(id);
        return { feature_id: id, ref: d ? `${d.feature_name}@${d.feature_version}` : null, entity_type: d?.entity_type ?? null };
      }),
      columns: meta.columns,
      file_path: meta.file_path,
      bytes: meta.bytes,
      knowledge_cutoff: iso(dataset.knowledge_cutoff),
      audit: { passed: problems.length === 0, problems, rows: meta.audit.rows, columns: meta.auditColumns },
      runs: runs.map((r) => ({ run_id: r.run_id, status: r.status, model: `${r.model_name}@${r.model_version}` })),
    };
    return c.json(detail);
  });

  return app;
}
