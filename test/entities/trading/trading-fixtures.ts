import { sql } from 'kysely';
import { expect } from 'vitest';
import type { PrecogDb } from '../../../src/db/connection.js';
import { createEvent } from '../../../src/entities/trading/events.js';
import { recordMarketSnapshot, type MarketSnapshotInput } from '../../../src/entities/trading/markets.js';
import { registerProbabilityModel } from '../../../src/entities/trading/probability-models.js';
import { registerStrategy } from '../../../src/entities/trading/strategies.js';
import { countRows } from '../../support/fixtures.js';

/** Every table the trading functions write. */
export const TRADING_TABLES = [
  'platforms',
  'series',
  'events',
  'markets',
  'game_states',
  'probability_models',
  'strategies',
  'edges',
  'trades',
  'positions',
  'settlements',
  'position_exits',
  'exit_attempts',
  'account_balance',
] as const;

/** Row counts of every trading table, for "the database is unchanged" checks. */
export async function countTradingRows(db: PrecogDb): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TRADING_TABLES) counts[table] = await countRows(db, table);
  return counts;
}

/**
 * Awaits `attempt`, expects it to reject with `errorClass` and a message matching every
 * pattern, and checks that no trading table gained or lost a row. Returns the error.
 */
export async function expectRejectedUnchanged<E extends Error>(
  db: PrecogDb,
  attempt: () => Promise<unknown>,
  errorClass: new (...args: never[]) => E,
  ...patterns: RegExp[]
): Promise<E> {
  const before = await countTradingRows(db);
  const promise = attempt();
  await expect(promise).rejects.toThrow(errorClass);
  const error = (await promise.catch((e: unknown) => e)) as E;
  for (const pattern of patterns) expect(error.message).toMatch(pattern);
  expect(await countTradingRows(db)).toEqual(before);
  return error;
}

/** Runs raw SQL and returns the error it raised (undefined if none). */
export async function sqlError(db: PrecogDb, statement: ReturnType<typeof sql>): Promise<unknown> {
  return statement.execute(db.db).then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** An ISO instant as a Date. */
export const T = (iso: string): Date => new Date(iso);

/** A binary market snapshot on kalshi for event `event_id`. */
export function marketSnapshot(marketId: string, overrides: Partial<MarketSnapshotInput> = {}): MarketSnapshotInput {
  return {
    market_id: marketId,
    platform_id: 'kalshi',
    event_id: 'EV1',
    external_id: `ext-${marketId}`,
    ticker: `TK-${marketId}`,
    title: `market ${marketId}`,
    market_type: 'binary',
    status: 'open',
    yes_price: '0.5000',
    no_price: '0.5000',
    ...overrides,
  };
}

/** What most trading tests need: an event, a model, a strategy and market M1 at 0.40. */
export interface TradingWorld {
  readonly modelId: number;
  readonly strategyId: number;
}

/** Seeds event EV1, model `elo_nfl@v1`, strategy `value@v1` and market M1 (yes 0.40). */
export async function seedTradingWorld(db: PrecogDb): Promise<TradingWorld> {
  await createEvent(db.db, {
    event_id: 'EV1',
    platform_id: 'kalshi',
    external_id: 'EV1',
    category: 'sports',
    title: 'KC at BUF',
    sport: 'nfl',
    start_time: '2024-01-21T23:30:00Z',
  });
  const model = await registerProbabilityModel(db.db, {
    model_name: 'elo_nfl',
    model_version: 'v1',
    approach: 'elo',
    domain: 'nfl',
    config: { k: 20 },
  });
  const strategy = await registerStrategy(db.db, {
    strategy_name: 'value',
    strategy_version: 'v1',
    platform_id: 'kalshi',
    approach: 'value',
    config: { min_edge: 0.05 },
  });
  await recordMarketSnapshot(db.db, marketSnapshot('M1', { yes_price: '0.40', no_price: '0.60' }), {
    at: T('2024-01-01T00:00:00Z'),
  });
  return { modelId: model.model_id, strategyId: strategy.strategy_id };
}
