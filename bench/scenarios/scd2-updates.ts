import { performance } from 'node:perf_hooks';
import { rateRow, type BenchRow } from '../result.js';
import type { BenchScale } from '../scale.js';
import { plainUpdate, precogUpdate, scd2Batches, scd2FinalState, scd2WritePath, seedScd2 } from '../scd2-workload.js';
import type { BenchTarget } from '../target.js';
import { timed } from '../timing.js';

/** Scenario 3's target: Precog's SCD2 update rate at least this fraction of plain UPDATEs. */
export const SCD2_MIN_RATIO = 0.5;

/**
 * Seconds Precog's write path may take before the remaining batches are dropped (rates are
 * compared over the batches both sides ran): keeps a slow write path from stretching the run.
 */
export const SCD2_TIME_BUDGET_SECONDS = 60;

/**
 * Scenario 3: the same update batches (one transaction per batch, every key once per batch)
 * through Precog's SCD2 write path and as plain set-based UPDATEs of a copy of the current
 * rows. Precog runs first, within `budgetSeconds` (at least one batch); the reference then
 * runs the same batches. Afterwards the current versions must equal the plain table, and
 * every update must have made a version.
 */
export async function runScd2Scenario(
  target: BenchTarget,
  scale: BenchScale,
  budgetSeconds: number = SCD2_TIME_BUDGET_SECONDS,
): Promise<BenchRow> {
  await seedScd2(target, scale);
  const all = scd2Batches(scale);
  let ran = 0;
  const precog = await timed(async () => {
    const start = performance.now();
    while (ran < all.length && (ran === 0 || performance.now() - start < budgetSeconds * 1000)) {
      const batch = all[ran++]!;
      await target.db.transaction((session) => precogUpdate(session.db, batch));
    }
  });
  const batches = all.slice(0, ran);
  const updates = batches.reduce((n, b) => n + b.length, 0);
  const reference = await timed(async () => {
    for (const batch of batches) await target.db.transaction((session) => plainUpdate(session.db, batch));
  });
  const state = await scd2FinalState(target);
  if (state.differences !== 0 || state.versions !== scale.scd2Keys + updates || state.current !== scale.scd2Keys) {
    throw new Error(
      `SCD2 final state: ${state.differences} rows differ from the plain UPDATEs, ${state.versions} versions ` +
        `(expected ${scale.scd2Keys + updates}), ${state.current} current (expected ${scale.scd2Keys})`,
    );
  }
  const cut = ran < all.length ? `; stopped after ${ran} of ${all.length} batches (${budgetSeconds} s budget)` : '';
  return rateRow(
    { scenario: 'scd2 updates', engine: target.engine, rows: updates, seconds: precog.seconds, note: `${scd2WritePath()}${cut}` },
    { name: 'plain UPDATE', rows: updates, seconds: reference.seconds },
    SCD2_MIN_RATIO,
  );
}
