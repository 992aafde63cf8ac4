import { z } from 'zod';
import { inTransaction, updateVersion, type VersionedWriteOptions } from '../../db/scd2.js';
import { EXIT_CONDITIONS, EXIT_PRIORITIES } from '../../db/tables/check-values.js';
import type { PositionExit } from '../../db/tables/position-exits.table.js';
import type { Position } from '../../db/tables/positions.table.js';
import type { Trade } from '../../db/tables/trades.table.js';
import { MONEY, PROBABILITY, decimalSchema } from './decimal.js';
import { InvalidTradingInputError, PositionStateError } from './errors.js';
import { guardedWrite, resolveInstant, type Executor } from './executor.js';
import { integer, keyText, oneOf, parseInput, rowId, text } from './input.js';
import { getCurrentMarket, resolveMarketVersion } from './markets.js';
import { addFees, averageExitPrice, realizedPnlAfter } from './position-accounting.js';
import { lockOpenPosition } from './positions.js';
import { ORDER_ID_RULE, TradeExecutionFields, insertTradeRow } from './trades.js';

/** An executed exit, full or partial (spec §12), with its sell order. */
export const ExitInputSchema = z
  .object({
    position_id: text(50),
    /** Contracts sold: at most what the position holds. */
    quantity: integer(1),
    exit_price: decimalSchema(PROBABILITY),
    exit_condition: oneOf(EXIT_CONDITIONS),
    exit_priority: oneOf(EXIT_PRIORITIES),
    unrealized_pnl_at_exit: decimalSchema(MONEY).nullable().optional(),
    trade: z
      .object({
        ...TradeExecutionFields,
        /** Default: the market's current version (the position's entry version if it has none). */
        market_row_id: rowId.optional(),
      })
      .strict(),
  })
  .strict();
export type ExitInput = z.input<typeof ExitInputSchema>;

/** What one exit wrote. */
export interface ExitResult {
  readonly trade: Trade;
  readonly exit: PositionExit;
  /** The position's new current version. */
  readonly position: Position;
}

/**
 * Records an executed exit in one transaction: the sell trade, the `position_exits` row
 * and the position's next version, or none of them.
 *
 * Rules: checked before the database is touched — price in [0, 1], quantity > 0,
 * exit condition and priority in their CHECK lists; then, with the position's key locked,
 * the position must be open (PositionStateError), hold at least `quantity` contracts
 * (PositionStateError) and, unless it is a backtest position, the trade must carry an
 * `order_id` (InvalidTradingInputError).
 *
 * The trade sells the position's contract side at `exit_price`, with the position's
 * attribution and environment, `position_row_id` = the version before the exit, and the
 * market's current version. The exit row points at the same position version and the
 * trade. The new position version holds `quantity` fewer contracts, adds the trade's fees
 * to `fees` and `(exit_price − entry_price) × quantity` to `realized_pnl`; when no
 * contracts remain it is `closed`, with `exit_time` = the trade's execution time,
 * `exit_price` = the contract-weighted average of all its exits, `exit_reason` /
 * `exit_priority` from this exit and unrealized P&L zero. The version starts at
 * `options.at`, else the trade's execution time, else now.
 */
export async function recordExit(
  db: Executor,
  input: ExitInput,
  options: VersionedWriteOptions = {},
): Promise<ExitResult> {
  const key = keyText(['position_id'], input);
  const parsed = parseInput(ExitInputSchema, input, 'position_exits', key);
  return guardedWrite(`position_exits ${key}`, () =>
    inTransaction(db, async (trx) => {
      const current = await lockOpenPosition(trx, parsed.position_id, 'exit');
      if (parsed.quantity > current.quantity) {
        throw new PositionStateError(
          `positions ${key}: cannot exit ${parsed.quantity} contracts, it holds ${current.quantity}`,
          { table: 'positions', key, quantity: parsed.quantity, held: current.quantity },
        );
      }
      const { market_row_id: marketRowId, ...fill } = parsed.trade;
      if (current.execution_environment !== 'backtest' && !fill.order_id) {
        throw new InvalidTradingInputError('position_exits', key, [
          { field: 'trade.order_id', value: fill.order_id, reason: ORDER_ID_RULE },
        ]);
      }
      const context = { table: 'position_exits', key, field: 'trade.market_row_id' };
      const tradeMarketRowId =
        marketRowId !== undefined
          ? (await resolveMarketVersion(trx, current.market_id, marketRowId, context)).id
          : ((await getCurrentMarket(trx, current.market_id))?.id ?? current.market_row_id);
      const at = await resolveInstant(trx, options.at ?? fill.execution_time);
      const executedAt = fill.execution_time ?? at;

      const trade = await insertTradeRow(trx, {
        ...fill,
        execution_time: executedAt,
        platform_id: current.platform_id,
        market_id: current.market_id,
        market_row_id: tradeMarketRowId,
        position_id: current.position_id,
        position_row_id: current.id,
        strategy_id: current.strategy_id,
        model_id: current.model_id,
        side: 'sell',
        contract_side: current.side,
        price: parsed.exit_price,
        quantity: parsed.quantity,
        execution_environment: current.execution_environment,
      });
      const exit = await trx
        .insertInto('position_exits')
        .values({
          position_id: current.position_id,
          position_row_id: current.id,
          exit_trade_id: trade.trade_id,
          exit_condition: parsed.exit_condition,
          exit_priority: parsed.exit_priority,
          quantity_exited: parsed.quantity,
          exit_price: parsed.exit_price,
          unrealized_pnl_at_exit: parsed.unrealized_pnl_at_exit,
        })
        .returningAll()
        .executeTakeFirstOrThrow();

      const remaining = current.quantity - parsed.quantity;
      const changes = {
        quantity: remaining,
        fees: addFees(current.fees, trade.fees),
        realized_pnl: realizedPnlAfter(current.realized_pnl, current.entry_price, parsed.exit_price, parsed.quantity),
        ...(remaining === 0
          ? {
              status: 'closed' as const,
              exit_time: executedAt,
              exit_price: averageExitPrice(await exitFills(trx, current.position_id)),
              exit_reason: parsed.exit_condition,
              exit_priority: parsed.exit_priority,
              unrealized_pnl: '0.0000',
              unrealized_pnl_pct: '0.0000',
            }
          : {}),
      };
      const { version } = await updateVersion(trx, 'positions', { position_id: current.position_id }, changes, { at });
      return { trade, exit, position: version as unknown as Position };
    }),
  );
}

/** The fills of every exit of a position so far, for its average exit price. */
export async function exitFills(db: Executor, positionId: string): Promise<{ price: string; quantity: number }[]> {
  const rows = await db
    .selectFrom('position_exits')
    .select(['exit_price', 'quantity_exited'])
    .where('position_id', '=', positionId)
    .execute();
  return rows.map((r) => ({ price: r.exit_price, quantity: r.quantity_exited }));
}

/** The exits of a position, oldest first. */
export async function listExits(db: Executor, positionId: string): Promise<PositionExit[]> {
  return db
    .selectFrom('position_exits')
    .selectAll()
    .where('position_id', '=', positionId)
    .orderBy('created_at')
    .orderBy('exit_id')
    .execute();
}
