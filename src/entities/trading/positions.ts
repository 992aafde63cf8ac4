import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import {
  asOf,
  history,
  inTransaction,
  insertFirstVersion,
  updateVersion,
  type VersionedWriteOptions,
} from '../../db/scd2.js';
import { CONTRACT_SIDES, EXECUTION_ENVIRONMENTS } from '../../db/tables/check-values.js';
import type { Position, UrgentMonitoringPosition } from '../../db/tables/positions.table.js';
import type { Trade } from '../../db/tables/trades.table.js';
import { MONEY, NON_NEGATIVE_MONEY, PROBABILITY, RATIO, SIGNED_UNIT, decimalSchema } from './decimal.js';
import { InvalidTradingInputError, PositionStateError } from './errors.js';
import { guardedWrite, lockCurrentVersion, resolveInstant, type Executor } from './executor.js';
import { definedOnly, integer, jsonObject, keyText, oneOf, parseInput, rowId, text, timestamp } from './input.js';
import { resolveMarketVersion, type VersionedResult } from './markets.js';
import { ORDER_ID_RULE, TradeExecutionFields, insertTradeRow } from './trades.js';

const probability = decimalSchema(PROBABILITY);

/**
 * `{active, activation_price, peak_price, current_stop_price, current_distance}` (spec
 * §10). The three prices are probabilities, stored as decimal text; `active` must be a
 * boolean because `positions_urgent_monitoring` tests it as `'true'`. Other keys are kept.
 */
export const TrailingStopStateSchema = z
  .object({
    active: z.boolean({ error: 'must be true or false' }).optional(),
    activation_price: probability.nullable().optional(),
    peak_price: probability.nullable().optional(),
    current_stop_price: probability.nullable().optional(),
  })
  .catchall(z.json())
  .transform((value) => JSON.stringify(value));

/** The opening order of a position: the fill columns a trade carries beyond the position's own. */
export const OpeningTradeSchema = z
  .object(TradeExecutionFields)
  .omit({ calculated_probability: true, market_price: true, edge_at_execution: true })
  .strict();

/** A position to open together with its opening trade (spec §10). */
export const OpenPositionInputSchema = z
  .object({
    position_id: text(50),
    market_id: text(100),
    /** Default: the market's current version; when given it must be a version of market_id. */
    market_row_id: rowId.optional(),
    /** Default: the market's platform; when given it must be the market's. */
    platform_id: text(50).optional(),
    strategy_id: rowId.nullable().optional(),
    model_id: rowId.nullable().optional(),
    side: oneOf(CONTRACT_SIDES),
    quantity: integer(1),
    entry_price: probability,
    current_price: probability.nullable().optional(),
    target_price: probability.nullable().optional(),
    stop_loss_price: probability.nullable().optional(),
    trailing_stop_state: TrailingStopStateSchema.nullable().optional(),
    calculated_probability: probability.nullable().optional(),
    market_price_at_entry: probability.nullable().optional(),
    edge_at_entry: decimalSchema(SIGNED_UNIT).nullable().optional(),
    execution_environment: oneOf(EXECUTION_ENVIRONMENTS).optional(),
    position_metadata: jsonObject.nullable().optional(),
    /** Default: the trade's execution_time, else the write's instant. */
    entry_time: timestamp.optional(),
    trade: OpeningTradeSchema,
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.execution_environment ?? 'live') !== 'backtest' && !value.trade.order_id) {
      ctx.addIssue({ code: 'custom', path: ['trade', 'order_id'], message: ORDER_ID_RULE });
    }
  });
export type OpenPositionInput = z.input<typeof OpenPositionInputSchema>;

/**
 * What a monitoring refresh may change on an open position. Quantity, status and the exit
 * columns change only through `recordExit` and `recordSettlement`; the entry snapshot
 * (entry price and time, market version, attribution, frozen probabilities) never changes.
 */
export const PositionChangesSchema = z
  .object({
    current_price: probability.nullable().optional(),
    target_price: probability.nullable().optional(),
    stop_loss_price: probability.nullable().optional(),
    trailing_stop_state: TrailingStopStateSchema.nullable().optional(),
    unrealized_pnl: decimalSchema(MONEY).nullable().optional(),
    unrealized_pnl_pct: decimalSchema(RATIO).nullable().optional(),
    fees: decimalSchema(NON_NEGATIVE_MONEY).nullable().optional(),
    position_metadata: jsonObject.nullable().optional(),
  })
  .strict();
export type PositionChanges = z.input<typeof PositionChangesSchema>;

/** A position version and the trade written with it. */
export interface PositionWithTrade {
  readonly position: Position;
  readonly trade: Trade;
}

/**
 * Opens a position and records its opening (buy) trade in one transaction, in the order
 * spec §10 requires: version 1 of the position first (its `initial_order_id` foreign key
 * to `trades.order_id` is checked at commit), then the trade with `position_row_id` = that
 * version. The trade takes its price, quantity, contract side, market version,
 * attribution, environment and entry probabilities from the position; the position's
 * `fees` start at the trade's fees. Rules checked before the database is touched: prices
 * and probabilities in [0, 1], `edge_at_entry` in [-1, 1], quantity > 0, enumerations in
 * their CHECK lists, `trade.order_id` present unless backtest. The market version
 * defaults to the market's current one and must belong to `market_id`. The version starts
 * at `options.at`, else the entry time, else the trade's execution time, else now; either
 * both rows are written or neither.
 */
export async function openPosition(
  db: Executor,
  input: OpenPositionInput,
  options: VersionedWriteOptions = {},
): Promise<PositionWithTrade> {
  const key = keyText(['position_id'], input);
  const parsed = parseInput(OpenPositionInputSchema, input, 'positions', key);
  return guardedWrite(`positions ${key}`, () =>
    inTransaction(db, async (trx) => {
      const { trade: fill, entry_time: entryTime, ...own } = parsed;
      const market = await resolveMarketVersion(trx, own.market_id, own.market_row_id, { table: 'positions', key });
      if (own.platform_id !== undefined && own.platform_id !== market.platform_id) {
        const reason = `market ${market.market_id} is listed on ${market.platform_id}`;
        throw new InvalidTradingInputError('positions', key, [
          { field: 'platform_id', value: own.platform_id, reason },
        ]);
      }
      const at = await resolveInstant(trx, options.at ?? entryTime ?? fill.execution_time);
      const entry = entryTime ?? fill.execution_time ?? at;
      const position = (await insertFirstVersion(
        trx,
        'positions',
        definedOnly({
          ...own,
          platform_id: market.platform_id,
          market_row_id: market.id,
          initial_order_id: fill.order_id ?? null,
          fees: fill.fees,
          status: 'open' as const,
          entry_time: entry,
        }),
        { at },
      )) as unknown as Position;
      const trade = await insertTradeRow(trx, {
        ...fill,
        execution_time: fill.execution_time ?? entry,
        platform_id: market.platform_id,
        market_id: market.market_id,
        market_row_id: market.id,
        position_id: position.position_id,
        position_row_id: position.id,
        strategy_id: own.strategy_id,
        model_id: own.model_id,
        side: 'buy',
        contract_side: own.side,
        price: own.entry_price,
        quantity: own.quantity,
        calculated_probability: own.calculated_probability,
        market_price: own.market_price_at_entry,
        edge_at_execution: own.edge_at_entry,
        execution_environment: position.execution_environment,
      });
      return { position, trade };
    }),
  );
}

/**
 * Locks a position's key for the rest of `trx` and returns its current version, which
 * must be open (PositionStateError otherwise; VersioningError when it has no current
 * version).
 */
export async function lockOpenPosition(
  trx: Transaction<Database>,
  positionId: string,
  action: string,
): Promise<Position> {
  const current = (await lockCurrentVersion(trx, 'positions', { position_id: positionId })) as unknown as Position;
  if (current.status !== 'open') {
    throw new PositionStateError(`positions position_id=${positionId} is ${current.status}: cannot ${action}`, {
      table: 'positions',
      key: `position_id=${positionId}`,
      status: current.status,
    });
  }
  return current;
}

/**
 * Records a monitoring refresh of an open position (prices, stops, trailing-stop state,
 * P&L, fees, metadata) as a new version, or nothing when no value changed. Only the
 * fields of {@link PositionChangesSchema} are accepted (anything else is rejected before
 * the database is touched, as are out-of-range prices); a position that is not open is a
 * PositionStateError.
 */
export async function updatePosition(
  db: Executor,
  positionId: string,
  changes: PositionChanges,
  options: VersionedWriteOptions = {},
): Promise<VersionedResult<Position>> {
  const key = `position_id=${positionId}`;
  const content = definedOnly(parseInput(PositionChangesSchema, changes, 'positions', key));
  return guardedWrite(`positions ${key}`, () =>
    inTransaction(db, async (trx) => {
      await lockOpenPosition(trx, positionId, 'be updated');
      const { version, changed } = await updateVersion(trx, 'positions', { position_id: positionId }, content, options);
      return { row: version as unknown as Position, changed };
    }),
  );
}

/**
 * The monitoring heartbeat: sets `last_check_time` on the position's current version in
 * place — the one column the history guard lets change without a new version (spec §10).
 * It never moves backwards (an older `at` leaves the stored time). The key is locked like
 * any SCD2 write, so a heartbeat never lands on a version that a concurrent writer is
 * closing. A VersioningError when the position has no current version.
 */
export async function touchPositionCheck(db: Executor, positionId: string, at: Date): Promise<Position> {
  const key = `position_id=${positionId}`;
  const checkedAt = parseInput(timestamp, at, 'positions', key);
  return guardedWrite(`positions ${key}`, () =>
    inTransaction(db, async (trx) => {
      const current = (await lockCurrentVersion(trx, 'positions', { position_id: positionId })) as unknown as Position;
      if (current.last_check_time && current.last_check_time.getTime() >= checkedAt.getTime()) return current;
      return trx
        .updateTable('positions')
        .set({ last_check_time: checkedAt })
        .where('id', '=', current.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }),
  );
}

/** The current version of a position (any status), or undefined. */
export async function getCurrentPosition(db: Executor, positionId: string): Promise<Position | undefined> {
  return db
    .selectFrom('positions')
    .selectAll()
    .where('position_id', '=', positionId)
    .where('row_current_ind', '=', true)
    .executeTakeFirst();
}

/** The version of a position current at `t`, or undefined. */
export async function getPositionAsOf(db: Executor, positionId: string, t: Date): Promise<Position | undefined> {
  return (await asOf(db, 'positions', { position_id: positionId }, t)) as unknown as Position | undefined;
}

/** Every version of a position, oldest first. */
export async function getPositionHistory(db: Executor, positionId: string): Promise<Position[]> {
  return (await history(db, 'positions', { position_id: positionId })) as unknown as Position[];
}

/** Every open position (the `open_positions` view), optionally of one market. */
export async function listOpenPositions(db: Executor, filter: { market_id?: string } = {}): Promise<Position[]> {
  let query = db.selectFrom('open_positions').selectAll().orderBy('position_id');
  if (filter.market_id !== undefined) query = query.where('market_id', '=', filter.market_id);
  return query.execute();
}

/**
 * Every open position with its `is_urgent` flag (the `positions_urgent_monitoring` view,
 * spec §15): not urgent without a current price; urgent when an active trailing stop is
 * within 2% of the price, or when `unrealized_pnl_pct < -0.13`. `urgentOnly` keeps the
 * urgent ones (the 5-second poll).
 */
export async function listPositionsForMonitoring(
  db: Executor,
  filter: { urgentOnly?: boolean } = {},
): Promise<UrgentMonitoringPosition[]> {
  let query = db.selectFrom('positions_urgent_monitoring').selectAll().orderBy('position_id');
  if (filter.urgentOnly) query = query.where('is_urgent', '=', true);
  return query.execute();
}
