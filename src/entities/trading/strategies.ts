import { z } from 'zod';
import { inTransaction } from '../../db/scd2.js';
import { STRATEGY_APPROACHES, STRATEGY_STATUSES, type StrategyStatus } from '../../db/tables/check-values.js';
import type { Strategy } from '../../db/tables/strategies.table.js';
import { TradingRecordNotFoundError } from './errors.js';
import { guardedWrite, resolveInstant, type Executor } from './executor.js';
import { jsonObject, keyText, oneOf, parseInput, text } from './input.js';
import { assertTransition, lifecycleStamps } from './lifecycle.js';

/** A new strategy version (spec §7). `config` is frozen once registered. */
export const StrategyInputSchema = z
  .object({
    strategy_name: text(100),
    strategy_version: text(20),
    platform_id: text(50).nullable().optional(),
    approach: oneOf(STRATEGY_APPROACHES),
    domain: text(50).nullable().optional(),
    config: jsonObject,
    description: z.string().nullable().optional(),
    created_by: text(100).nullable().optional(),
  })
  .strict();
export type StrategyInput = z.input<typeof StrategyInputSchema>;

/**
 * The lifecycle of a strategy version (our choice): draft → testing → active, an active
 * strategy may be paused (inactive) and resumed, testing may go back to draft; any
 * version may be deprecated, which is final.
 */
export const STRATEGY_STATUS_TRANSITIONS: Readonly<Record<StrategyStatus, readonly StrategyStatus[]>> = Object.freeze({
  draft: ['testing', 'deprecated'],
  testing: ['active', 'draft', 'deprecated'],
  active: ['inactive', 'deprecated'],
  inactive: ['active', 'deprecated'],
  deprecated: [],
});

/**
 * Registers a strategy version with status `draft`. Rules checked before the database is
 * touched: `approach` in its CHECK list, `config` a JSON object. The platform (when
 * given) must exist; a second registration of the same (strategy_name, strategy_version)
 * is a ConstraintViolationError: a change is a new version.
 */
export async function registerStrategy(db: Executor, input: StrategyInput): Promise<Strategy> {
  const key = keyText(['strategy_name', 'strategy_version'], input);
  const row = parseInput(StrategyInputSchema, input, 'strategies', key);
  return guardedWrite(`strategies ${key}`, () =>
    db.insertInto('strategies').values(row).returningAll().executeTakeFirstOrThrow(),
  );
}

/** The strategy version with that id, or undefined. */
export async function getStrategy(db: Executor, strategyId: number): Promise<Strategy | undefined> {
  return db.selectFrom('strategies').selectAll().where('strategy_id', '=', strategyId).executeTakeFirst();
}

/** The strategy version registered as `name`/`version`, or undefined. */
export async function findStrategy(db: Executor, name: string, version: string): Promise<Strategy | undefined> {
  return db
    .selectFrom('strategies')
    .selectAll()
    .where('strategy_name', '=', name)
    .where('strategy_version', '=', version)
    .executeTakeFirst();
}

/** Every strategy version, optionally of one status, by name then version. */
export async function listStrategies(db: Executor, filter: { status?: StrategyStatus } = {}): Promise<Strategy[]> {
  let query = db.selectFrom('strategies').selectAll().orderBy('strategy_name').orderBy('strategy_version');
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.execute();
}

/**
 * Moves a strategy version along {@link STRATEGY_STATUS_TRANSITIONS} (StatusTransitionError
 * otherwise; the same status again is a no-op). Becoming `active` stamps `activated_at`,
 * leaving `active` stamps `deactivated_at`, both at `options.at` (default: now).
 */
export async function setStrategyStatus(
  db: Executor,
  strategyId: number,
  status: StrategyStatus,
  options: { at?: Date } = {},
): Promise<Strategy> {
  const key = `strategy_id=${strategyId}`;
  const to = parseInput(oneOf(STRATEGY_STATUSES), status, 'strategies', key);
  return guardedWrite(`strategies ${key}`, () =>
    inTransaction(db, async (trx) => {
      const current = await trx
        .selectFrom('strategies')
        .selectAll()
        .where('strategy_id', '=', strategyId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) {
        throw new TradingRecordNotFoundError(`strategies ${key} does not exist`, { table: 'strategies', key });
      }
      if (current.status === to) return current;
      assertTransition(STRATEGY_STATUS_TRANSITIONS, current.status, to, { table: 'strategies', key });
      const at = await resolveInstant(trx, options.at);
      return trx
        .updateTable('strategies')
        .set({ status: to, ...lifecycleStamps(current.status, to, at) })
        .where('strategy_id', '=', strategyId)
        .returningAll()
        .executeTakeFirstOrThrow();
    }),
  );
}
