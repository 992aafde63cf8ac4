import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { RunDetail, RunSummary } from './api-types.js';
import { UiNotFoundError } from './errors.js';
import { iso, isoOrNull } from './json-values.js';
import { parseRequest } from './request-input.js';
import { compareRuns } from './run-comparison.js';
import { readRunMetrics } from './run-metrics.js';

/** The statuses of `model_training_runs` (its CHECK constraint). */
export const RUN_STATUSES = ['running', 'completed', 'failed'] as const;

/** The keys the run table can be sorted by. */
export const RUN_SORT_KEYS = ['run_id', 'created_at', 'duration', 'brier', 'log_loss', 'accuracy', 'model', 'status'] as const;
type RunSortKey = (typeof RUN_SORT_KEYS)[number];

// Digits only (no "1e3", "0x10" or " 5"), at most 15 of them: always a safe integer.
const RunId = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive integer')
  .transform(Number);

const ListQuery = z
  .object({
    status: z.enum(RUN_STATUSES).optional(),
    /** Case-insensitive substring of the model ref, approach or dataset ref. */
    q: z.string().trim().max(200).optional(),
    model_id: RunId.optional(),
    dataset: z.string().max(130).optional(),
    sort: z.enum(RUN_SORT_KEYS).default('run_id'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(1_000).default(500),
  })
  .strict();

const CompareQuery = z
  .object({
    ids: z
      .string()
      .transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(
        z
          .array(RunId)
          .min(2, 'name at least two runs, e.g. ids=3,4')
          .max(20, 'at most 20 runs at a time')
          .refine((ids) => new Set(ids).size === ids.length, 'name each run only once'),
      ),
  })
  .strict();

interface RunRow {
  run_id: number;
  status: string;
  model_id: number;
  model_name: string;
  model_version: string;
  approach: string;
  dataset_id: number | null;
  dataset_name: string | null;
  dataset_version: string | null;
  hyperparameters: unknown;
  metrics: unknown;
  artifacts: unknown;
  training_duration_seconds: number | null;
  error_message: string | null;
  backend: string | null;
  created_at: Date;
  completed_at: Date | null;
}

function selectRuns(db: Kysely<Database>) {
  return db
    .selectFrom('model_training_runs as r')
    .innerJoin('probability_models as m', 'm.model_id', 'r.model_id')
    .leftJoin('training_datasets as d', 'd.dataset_id', 'r.dataset_id')
    .select([
      'r.run_id',
      'r.status',
      'r.model_id',
      'm.model_name',
      'm.model_version',
      'm.approach',
      'r.dataset_id',
      'd.dataset_name',
      'd.dataset_version',
      'r.hyperparameters',
      'r.metrics',
      'r.artifacts',
      'r.training_duration_seconds',
      'r.error_message',
      'r.backend',
      'r.created_at',
      'r.completed_at',
    ]);
}

function durationOf(row: RunRow): number | null {
  if (row.training_duration_seconds !== null) return row.training_duration_seconds;
  return row.completed_at ? (row.completed_at.getTime() - row.created_at.getTime()) / 1000 : null;
}

function toDetail(row: RunRow): RunDetail {
  const metrics = readRunMetrics(row.metrics);
  return {
    run_id: row.run_id,
    status: row.status,
    model: { model_id: row.model_id, ref: `${row.model_name}@${row.model_version}`, approach: row.approach },
    dataset:
      row.dataset_id !== null && row.dataset_name !== null
        ? { dataset_id: row.dataset_id, ref: `${row.dataset_name}@${row.dataset_version}` }
        : null,
    duration_seconds: durationOf(row),
    created_at: iso(row.created_at),
    completed_at: isoOrNull(row.completed_at),
    backend: row.backend,
    overall: metrics.overall,
    baselines: metrics.baselines,
    hyperparameters: row.hyperparameters,
    metrics,
    raw_metrics: row.metrics ?? null,
    artifacts: row.artifacts ?? null,
    error_message: row.error_message,
  };
}

function toSummary(detail: RunDetail): RunSummary {
  const { hyperparameters: _h, metrics: _m, raw_metrics: _r, artifacts: _a, error_message: _e, ...summary } = detail;
  return summary;
}

function sortValue(run: RunSummary, key: RunSortKey): number | string | null {
  switch (key) {
    case 'run_id':
      return run.run_id;
    case 'created_at':
      return run.created_at;
    case 'duration':
      return run.duration_seconds;
    case 'brier':
    case 'log_loss':
    case 'accuracy':
      return run.overall[key] ?? null;
    case 'model':
      return run.model.ref;
    case 'status':
      return run.status;
  }
}

/** Sorts runs by `key`; runs without a value (e.g. no Brier yet) go last either way; ties by run id. */
export function sortRuns(runs: readonly RunSummary[], key: RunSortKey, order: 'asc' | 'desc'): RunSummary[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...runs].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null || y === null) return x === y ? b.run_id - a.run_id : x === null ? 1 : -1;
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return cmp !== 0 ? sign * cmp : b.run_id - a.run_id;
  });
}

async function getRuns(db: Kysely<Database>, ids: readonly number[]): Promise<RunDetail[]> {
  const rows = (await selectRuns(db).where('r.run_id', 'in', ids).execute()) as RunRow[];
  const byId = new Map(rows.map((r) => [r.run_id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new UiNotFoundError(`no training run with id ${missing.join(', ')}`, { missing });
  }
  return ids.map((id) => toDetail(byId.get(id)!));
}

/**
 * `/api/runs`: the run table (filters `status`, `q`, `model_id`, `dataset`; `sort` by any
 * of {@link RUN_SORT_KEYS}, `order`, `limit`), each run with its overall metrics and
 * baselines; `/compare?ids=3,4` two to twenty runs side by side (hyperparameters and
 * metrics as aligned rows); `/:id` one run with hyperparameters, per-season metrics and
 * calibration bins. An unknown run id is a 404.
 */
export function runsRoutes(db: Kysely<Database>): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const query = parseRequest(ListQuery, c.req.query(), 'query string');
    let q = selectRuns(db);
    if (query.status) q = q.where('r.status', '=', query.status);
    if (query.model_id !== undefined) q = q.where('r.model_id', '=', query.model_id);
    const rows = (await q.execute()) as RunRow[];
    const needle = query.q?.toLowerCase();
    const runs = rows
      .map((row) => toSummary(toDetail(row)))
      .filter((r) => (query.dataset ? r.dataset?.ref === query.dataset : true))
      .filter((r) =>
        needle ? [r.model.ref, r.model.approach, r.dataset?.ref ?? ''].some((s) => s.toLowerCase().includes(needle)) : true,
      );
    return c.json(sortRuns(runs, query.sort, query.order).slice(0, query.limit));
  });

  app.get('/compare', async (c) => {
    const query = parseRequest(CompareQuery, c.req.query(), 'query string');
    return c.json(compareRuns(await getRuns(db, query.ids)));
  });

  app.get('/:id', async (c) => {
    const id = parseRequest(RunId, c.req.param('id'), 'run id');
    const [run] = await getRuns(db, [id]);
    return c.json(run);
  });

  return app;
}
