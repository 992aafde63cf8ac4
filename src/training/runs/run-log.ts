import os from 'node:os';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { isProcessAlive } from '../../db/embedded-lock.js';
import type { TrainingRunRow } from '../../db/tables/model-training-runs.table.js';
import { RunNotFoundError, RunStateError } from './errors.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** How long a running run may go without a heartbeat before it is presumed dead. */
export const STALE_AFTER_MS = 10 * 60_000;

/** What a run starts with. */
export interface StartRunInput {
  readonly modelId: number;
  readonly datasetId: number | null;
  readonly hyperparameters: unknown;
  readonly backend: string | null;
}

/** Starts a run as `running`, stamped with this process's pid and host for reaping. */
export async function startRun(db: Executor, input: StartRunInput): Promise<TrainingRunRow> {
  return db
    .insertInto('model_training_runs')
    .values({
      model_id: input.modelId,
      dataset_id: input.datasetId,
      hyperparameters: JSON.stringify(input.hyperparameters),
      backend: input.backend,
      pid: process.pid,
      hostname: os.hostname(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records that a running run is alive. */
export async function heartbeat(db: Executor, runId: number): Promise<void> {
  await db
    .updateTable('model_training_runs')
    .set({ heartbeat_at: sql<Date>`now()` as unknown as Date })
    .where('run_id', '=', runId)
    .where('status', '=', 'running')
    .execute();
}

async function finish(
  db: Executor,
  runId: number,
  changes: { status: 'completed' | 'failed'; metrics?: unknown; error_message?: string; duration: number; artifacts?: unknown },
): Promise<TrainingRunRow> {
  const row = await db
    .updateTable('model_training_runs')
    .set({
      status: changes.status,
      metrics: changes.metrics === undefined ? null : JSON.stringify(changes.metrics),
      error_message: changes.error_message ?? null,
      training_duration_seconds: changes.duration,
      artifacts: changes.artifacts === undefined ? null : JSON.stringify(changes.artifacts),
      completed_at: sql<Date>`now()` as unknown as Date,
    })
    .where('run_id', '=', runId)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const existing = await db.selectFrom('model_training_runs').select('status').where('run_id', '=', runId).executeTakeFirst();
    if (!existing) throw new RunNotFoundError(`training run ${runId} does not exist`, { runId });
    throw new RunStateError(`training run ${runId} is already ${existing.status}`, { runId, status: existing.status });
  }
  return row;
}

/** running → completed, with its metrics, duration and artifact paths. */
export function completeRun(
  db: Executor,
  runId: number,
  result: { metrics: unknown; durationSeconds: number; artifacts: unknown },
): Promise<TrainingRunRow> {
  return finish(db, runId, {
    status: 'completed',
    metrics: result.metrics,
    duration: result.durationSeconds,
    artifacts: result.artifacts,
  });
}

/** running → failed, with the error (a run never stays running because it crashed). */
export function failRun(db: Executor, runId: number, error: unknown, durationSeconds: number): Promise<TrainingRunRow> {
  const message = error instanceof Error ? error.message : String(error);
  return finish(db, runId, { status: 'failed', error_message: message || 'unknown error', duration: durationSeconds });
}

/**
 * Marks as failed every running run whose process is gone: on this host, a pid that no
 * longer exists; anywhere, a heartbeat older than `staleAfterMs`. Called whenever a new run
 * starts (and by `precog runs list`), so a killed run is reaped on the next start.
 * Returns the ids reaped.
 */
export async function reapDeadRuns(db: Executor, staleAfterMs = STALE_AFTER_MS): Promise<number[]> {
  const running = await db
    .selectFrom('model_training_runs')
    .select(['run_id', 'pid', 'hostname', 'heartbeat_at', 'created_at'])
    .where('status', '=', 'running')
    .execute();
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  const now = rows[0]!.now.getTime();
  const host = os.hostname();
  const reaped: number[] = [];
  for (const run of running) {
    const deadHere = run.hostname === host && run.pid !== null && run.pid !== process.pid && !isProcessAlive(run.pid);
    const silent = now - run.heartbeat_at.getTime() > staleAfterMs;
    if (!deadHere && !silent) continue;
    const reason = deadHere
      ? `reaped: process ${run.pid} on ${host} died while the run was running`
      : `reaped: no heartbeat for ${Math.round((now - run.heartbeat_at.getTime()) / 1000)} s`;
    const seconds = Math.max(0, (now - run.created_at.getTime()) / 1000);
    const done = await db
      .updateTable('model_training_runs')
      .set({
        status: 'failed',
        error_message: reason,
        training_duration_seconds: seconds,
        completed_at: sql<Date>`now()` as unknown as Date,
      })
      .where('run_id', '=', run.run_id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) reaped.push(run.run_id);
  }
  return reaped;
}

/** One run; RunNotFoundError when there is none. */
export async function getRun(db: Executor, runId: number): Promise<TrainingRunRow> {
  const row = await db.selectFrom('model_training_runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
  if (!row) throw new RunNotFoundError(`training run ${runId} does not exist`, { runId });
  return row;
}

/** Runs, newest first. */
export async function listRuns(db: Executor, filter: { limit?: number } = {}): Promise<TrainingRunRow[]> {
  return db
    .selectFrom('model_training_runs')
    .selectAll()
    .orderBy('run_id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
}
