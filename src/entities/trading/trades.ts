import type { Insertable } from 'kysely';
import { z } from 'zod';
import { inTransaction } from '../../db/scd2.js';
import {
  CONFIDENCE_LEVELS,
  CONTRACT_SIDES,
  EXECUTION_ENVIRONMENTS,
  TRADE_ORDER_TYPES,
  TRADE_SIDES,
  TRADE_SOURCES,
} from '../../db/tables/check-values.js';
import type { Trade, TradesTable } from '../../db/tables/trades.table.js';
import { NON_NEGATIVE_MONEY, PROBABILITY, SIGNED_UNIT, decimalSchema } from './decimal.js';
import { InvalidTradingInputError } from './errors.js';
import { guardedWrite, type Executor } from './executor.js';
import { integer, jsonObject, keyText, oneOf, parseInput, rowId, text, timestamp } from './input.js';
import { resolveMarketVersion } from './markets.js';
import { resolvePositionVersion } from './position-versions.js';

const probability = decimalSchema(PROBABILITY);

/**
 * The fill columns every trade carries, whoever records it (a standalone trade, the
 * opening trade of a position, the sell trade of an exit).
 */
export const TradeExecutionFields = {
  order_id: text(100).nullable().optional(),
  order_type: oneOf(TRADE_ORDER_TYPES).optional(),
  fees: decimalSchema(NON_NEGATIVE_MONEY).nullable().optional(),
  execution_time: timestamp.optional(),
  edge_row_id: rowId.nullable().optional(),
  calculated_probability: probability.nullable().optional(),
  market_price: probability.nullable().optional(),
  edge_at_execution: decimalSchema(SIGNED_UNIT).nullable().optional(),
  confidence_at_execution: oneOf(CONFIDENCE_LEVELS).nullable().optional(),
  trade_source: oneOf(TRADE_SOURCES).optional(),
  trade_metadata: jsonObject.nullable().optional(),
};

/** The order-id rule of trades: every trade but a backtest one names its platform order. */
export const ORDER_ID_RULE = 'is required except for backtest trades';

/** A standalone executed order (spec §9). */
export const TradeInputSchema = z
  .object({
    ...TradeExecutionFields,
    /** Default: the market's platform; when given it must be the market's. */
    platform_id: text(50).optional(),
    market_id: text(100),
    /** Default: the market's current version; when given it must be a version of market_id. */
    market_row_id: rowId.optional(),
    position_id: text(50).nullable().optional(),
    /** Default (with position_id): the position's current version. */
    position_row_id: rowId.nullable().optional(),
    strategy_id: rowId.nullable().optional(),
    model_id: rowId.nullable().optional(),
    side: oneOf(TRADE_SIDES),
    contract_side: oneOf(CONTRACT_SIDES),
    price: probability,
    quantity: integer(1),
    execution_environment: oneOf(EXECUTION_ENVIRONMENTS).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.execution_environment ?? 'live') !== 'backtest' && !value.order_id) {
      ctx.addIssue({ code: 'custom', path: ['order_id'], message: ORDER_ID_RULE });
    }
  });
export type TradeInput = z.input<typeof TradeInputSchema>;

/**
 * Inserts one validated trade row inside the caller's transaction (no validation, no
 * error mapping: for the functions of this folder that record trades as part of a larger
 * write).
 */
export async function insertTradeRow(trx: Executor, row: Insertable<TradesTable>): Promise<Trade> {
  return trx.insertInto('trades').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * Records one executed order (append-only: trades are never updated or deleted).
 * Rules checked before the database is touched: price and probabilities in [0, 1],
 * `edge_at_execution` in [-1, 1], quantity > 0, fees >= 0, enumerations in their CHECK
 * lists, `order_id` present unless the trade is a backtest. The market version defaults
 * to the market's current one and must belong to `market_id`; `platform_id` defaults to
 * the market's and must match it; with a `position_id` the position version defaults to
 * its current one. A duplicate `order_id` is a ConstraintViolationError. Opening and
 * exit trades are recorded by `openPosition` and `recordExit`, which keep the position in
 * step.
 */
export async function recordTrade(db: Executor, input: TradeInput): Promise<Trade> {
  const key = keyText(['order_id'], input);
  const parsed = parseInput(TradeInputSchema, input, 'trades', key);
  return guardedWrite(`trades ${key}`, () =>
    inTransaction(db, async (trx) => {
      const market = await resolveMarketVersion(trx, parsed.market_id, parsed.market_row_id, { table: 'trades', key });
      if (parsed.platform_id !== undefined && parsed.platform_id !== market.platform_id) {
        const reason = `market ${market.market_id} is listed on ${market.platform_id}`;
        throw new InvalidTradingInputError('trades', key, [
          { field: 'platform_id', value: parsed.platform_id, reason },
        ]);
      }
      const { position_id: positionId, position_row_id: positionRowId } = parsed;
      const position =
        positionId || (positionRowId !== null && positionRowId !== undefined)
          ? await resolvePositionVersion(trx, positionId ?? undefined, positionRowId ?? undefined, {
              table: 'trades',
              key,
            })
          : undefined;
      return insertTradeRow(trx, {
        ...parsed,
        position_id: position?.position_id ?? null,
        position_row_id: position?.id ?? null,
        platform_id: market.platform_id,
        market_row_id: market.id,
      });
    }),
  );
}

/** The trade with that id, or undefined. */
export async function getTrade(db: Executor, tradeId: number): Promise<Trade | undefined> {
  return db.selectFrom('trades').selectAll().where('trade_id', '=', tradeId).executeTakeFirst();
}

/** The trade of a platform order, or undefined. */
export async function getTradeByOrderId(db: Executor, orderId: string): Promise<Trade | undefined> {
  return db.selectFrom('trades').selectAll().where('order_id', '=', orderId).executeTakeFirst();
}

/** Trades of one position and/or market, in execution order. */
export async function listTrades(
  db: Executor,
  filter: { position_id?: string; market_id?: string } = {},
): Promise<Trade[]> {
  let query = db.selectFrom('trades').selectAll().orderBy('execution_time').orderBy('trade_id');
  if (filter.position_id !== undefined) query = query.where('position_id', '=', filter.position_id);
  if (filter.market_id !== undefined) query = query.where('market_id', '=', filter.market_id);
  return query.execute();
}
