import { z } from 'zod';
import { asOf, history, updateVersion, upsertVersion, type VersionedWriteOptions } from '../../db/scd2.js';
import { MARKET_STATUSES, MARKET_TYPES, type MarketStatus } from '../../db/tables/check-values.js';
import type { Market } from '../../db/tables/markets.table.js';
import { PROBABILITY, decimalSchema } from './decimal.js';
import { InvalidTradingInputError, TradingRecordNotFoundError } from './errors.js';
import { guardedWrite, type Executor } from './executor.js';
import { definedOnly, integer, jsonObject, keyText, oneOf, parseInput, text } from './input.js';

const probability = decimalSchema(PROBABILITY);

const MarketFields = z
  .object({
    market_id: text(100),
    platform_id: text(50),
    event_id: text(100),
    external_id: text(100),
    ticker: text(50).nullable().optional(),
    title: text(255),
    market_type: oneOf(MARKET_TYPES),
    yes_price: probability.nullable().optional(),
    no_price: probability.nullable().optional(),
    spread: probability.nullable().optional(),
    volume: integer(0).nullable().optional(),
    open_interest: integer(0).nullable().optional(),
    status: oneOf(MARKET_STATUSES),
    settlement_value: probability.nullable().optional(),
    metadata: jsonObject.nullable().optional(),
  })
  .strict();

const SETTLED_RULE = 'a settled market must have a settlement_value';

/** A snapshot names its settlement value whenever it says `settled`. */
type SettledFields = { status?: MarketStatus; settlement_value?: string | null };

function snapshotSettledHasValue(value: SettledFields, ctx: z.RefinementCtx) {
  if (value.status === 'settled' && (value.settlement_value === null || value.settlement_value === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['settlement_value'], message: SETTLED_RULE });
  }
}

/** A change may omit it (the stored value is kept: the database checks that case), not clear it. */
function changeSettledHasValue(value: SettledFields, ctx: z.RefinementCtx) {
  if (value.status === 'settled' && value.settlement_value === null) {
    ctx.addIssue({ code: 'custom', path: ['settlement_value'], message: SETTLED_RULE });
  }
}

/** A full market snapshot, as a poll of the platform returns it (spec §4). */
export const MarketSnapshotSchema = MarketFields.superRefine(snapshotSettledHasValue);
export type MarketSnapshotInput = z.input<typeof MarketSnapshotSchema>;

/** A change of a market: any versioned column but the business key. */
export const MarketChangesSchema = MarketFields.omit({ market_id: true })
  .partial()
  .strict()
  .superRefine(changeSettledHasValue);
export type MarketChanges = z.input<typeof MarketChangesSchema>;

/** The result of a versioned write: the current version afterwards, and whether it is new. */
export interface VersionedResult<R> {
  readonly row: R;
  readonly changed: boolean;
}

/**
 * Records what a market looks like now (spec §4 "every poll that changes any listed
 * column"): version 1 for a new `market_id`, otherwise a new version through the SCD2
 * write path — or nothing when no column changed (`changed: false`, no empty version).
 * Omitted optional fields keep their stored value; `null` clears them. Rules checked
 * before the database is touched: prices, spread and settlement_value in [0, 1], volume
 * and open interest >= 0, `market_type`/`status` in their CHECK lists, a settled market has
 * a settlement_value. `options.at` is when the snapshot was taken (default: now).
 */
export async function recordMarketSnapshot(
  db: Executor,
  input: MarketSnapshotInput,
  options: VersionedWriteOptions = {},
): Promise<VersionedResult<Market>> {
  const key = keyText(['market_id'], input);
  const content = definedOnly(parseInput(MarketSnapshotSchema, input, 'markets', key));
  return guardedWrite(`markets ${key}`, async () => {
    const snapshot = { ...content, market_id: content.market_id! };
    const { version, changed } = await upsertVersion(db, 'markets', snapshot, options);
    return { row: version as unknown as Market, changed };
  });
}

/**
 * Applies a change to an existing market as a new version (spec §0 procedure; no version
 * when nothing changed). Same field rules as {@link recordMarketSnapshot}; the business key
 * cannot change. A VersioningError when the market has no current version or `at` is
 * before it.
 */
export async function updateMarket(
  db: Executor,
  marketId: string,
  changes: MarketChanges,
  options: VersionedWriteOptions = {},
): Promise<VersionedResult<Market>> {
  const key = `market_id=${marketId}`;
  const content = definedOnly(parseInput(MarketChangesSchema, changes, 'markets', key));
  return guardedWrite(`markets ${key}`, async () => {
    const { version, changed } = await updateVersion(db, 'markets', { market_id: marketId }, content, options);
    return { row: version as unknown as Market, changed };
  });
}

/** The current version of a market, or undefined. */
export async function getCurrentMarket(db: Executor, marketId: string): Promise<Market | undefined> {
  return db.selectFrom('current_markets').selectAll().where('market_id', '=', marketId).executeTakeFirst();
}

/** The version of a market current at `t` (`row_start_ts <= t < row_end_ts`), or undefined. */
export async function getMarketAsOf(db: Executor, marketId: string, t: Date): Promise<Market | undefined> {
  return (await asOf(db, 'markets', { market_id: marketId }, t)) as unknown as Market | undefined;
}

/** Every version of a market, oldest first. */
export async function getMarketHistory(db: Executor, marketId: string): Promise<Market[]> {
  return (await history(db, 'markets', { market_id: marketId })) as unknown as Market[];
}

/** The current version of every market (the `current_markets` view), optionally filtered. */
export async function listCurrentMarkets(
  db: Executor,
  filter: { event_id?: string; status?: MarketStatus } = {},
): Promise<Market[]> {
  let query = db.selectFrom('current_markets').selectAll().orderBy('market_id');
  if (filter.event_id !== undefined) query = query.where('event_id', '=', filter.event_id);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.execute();
}

/**
 * The market version a child row should point at: `marketRowId` when given (it must be a
 * version of `marketId`, else InvalidTradingInputError naming `field`), otherwise the
 * market's current version (TradingRecordNotFoundError when it has none).
 */
export async function resolveMarketVersion(
  db: Executor,
  marketId: string,
  marketRowId: number | undefined,
  context: { table: string; key: string; field?: string },
): Promise<Market> {
  if (marketRowId === undefined) {
    const current = await getCurrentMarket(db, marketId);
    if (!current) {
      const message = `${context.table} ${context.key}: market ${marketId} has no current version`;
      throw new TradingRecordNotFoundError(message, { ...context, market_id: marketId });
    }
    return current;
  }
  const row = await db.selectFrom('markets').selectAll().where('id', '=', marketRowId).executeTakeFirst();
  if (!row || row.market_id !== marketId) {
    throw new InvalidTradingInputError(context.table, context.key, [
      {
        field: context.field ?? 'market_row_id',
        value: marketRowId,
        reason: row ? `is a version of market ${row.market_id}, not ${marketId}` : 'is not a market version',
      },
    ]);
  }
  return row;
}
