import { z } from 'zod';
import { inTransaction, updateVersion, type VersionedWriteOptions } from '../../db/scd2.js';
import { SETTLEMENT_METHODS } from '../../db/tables/check-values.js';
import type { Market } from '../../db/tables/markets.table.js';
import type { Position } from '../../db/tables/positions.table.js';
import type { Settlement } from '../../db/tables/settlements.table.js';
import { PROBABILITY, decimalSchema } from './decimal.js';
import { guardedWrite, lockCurrentVersion, resolveInstant, type Executor } from './executor.js';
import { exitFills } from './exits.js';
import { jsonValue, keyText, oneOf, parseInput, text, timestamp } from './input.js';
import { averageExitPrice, realizedPnlAfter, settlementPriceFor } from './position-accounting.js';

const API_SOURCED_RULE = 'is required for an api_sourced settlement';

/** The platform's official result for a market (spec §11, Option A: API-sourced). */
export const SettlementInputSchema = z
  .object({
    market_id: text(100),
    outcome: text(50),
    /**
     * Value per YES contract in [0, 1]. Required here (the column is nullable) because the
     * settled market version must carry it as `settlement_value`.
     */
    payout: decimalSchema(PROBABILITY),
    calculation_method: oneOf(SETTLEMENT_METHODS).default('api_sourced'),
    external_settlement_id: text(100).nullable().optional(),
    settlement_timestamp: timestamp.nullable().optional(),
    /** The raw platform payload, kept for audit. */
    api_response: jsonValue.nullable().optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.calculation_method !== 'api_sourced') return;
    for (const field of ['external_settlement_id', 'settlement_timestamp', 'api_response'] as const) {
      if (value[field] === null || value[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: API_SOURCED_RULE });
      }
    }
  });
export type SettlementInput = z.input<typeof SettlementInputSchema>;

/** What one settlement wrote. */
export interface SettlementResult {
  readonly settlement: Settlement;
  /** The market's settled current version (the one `settlement.market_row_id` names). */
  readonly market: Market;
  /** The new (settled) version of every position that was open on the market. */
  readonly positions: readonly Position[];
}

/**
 * Settles a market in one transaction: the market's next version (`status = 'settled'`,
 * `settlement_value = payout`; none when the current version already says exactly that),
 * the `settlements` row pointing at that version, and a settled version of every position
 * still open on the market — `exit_price` = the contract-weighted average of its exits and
 * of the settled contracts at their settlement value (`payout` for YES, `1 − payout` for
 * NO), `realized_pnl` increased by `(settlement value − entry_price) × quantity`,
 * unrealized P&L zero, `exit_time` = `settlement_timestamp` (else the write's instant);
 * `quantity` is kept (the contracts that settled). No exit rows are written.
 *
 * Rules checked before the database is touched: payout in [0, 1], `calculation_method` in
 * its CHECK list, and an `api_sourced` settlement (the default) carries
 * `external_settlement_id`, `settlement_timestamp` and `api_response`. The database allows
 * one settlement per market and one per (platform, external id): a second one is a
 * ConstraintViolationError and nothing is written. Versions start at `options.at`, else
 * now.
 */
export async function recordSettlement(
  db: Executor,
  input: SettlementInput,
  options: VersionedWriteOptions = {},
): Promise<SettlementResult> {
  const key = keyText(['market_id'], input);
  const parsed = parseInput(SettlementInputSchema, input, 'settlements', key);
  return guardedWrite(`settlements ${key}`, () =>
    inTransaction(db, async (trx) => {
      // Lock the market before reading the clock, so the instant is not before a version
      // that a concurrent writer committed in between.
      await lockCurrentVersion(trx, 'markets', { market_id: parsed.market_id });
      const at = await resolveInstant(trx, options.at);
      const { version } = await updateVersion(
        trx,
        'markets',
        { market_id: parsed.market_id },
        { status: 'settled', settlement_value: parsed.payout },
        { at },
      );
      const market = version as unknown as Market;
      const settlement = await trx
        .insertInto('settlements')
        .values({ ...parsed, platform_id: market.platform_id, market_row_id: market.id })
        .returningAll()
        .executeTakeFirstOrThrow();

      const open = await trx
        .selectFrom('open_positions')
        .select('position_id')
        .where('market_id', '=', parsed.market_id)
        .orderBy('position_id')
        .execute();
      const positions: Position[] = [];
      for (const { position_id: positionId } of open) {
        const locked = await lockCurrentVersion(trx, 'positions', { position_id: positionId });
        const current = locked as unknown as Position;
        if (current.status !== 'open') continue;
        const price = settlementPriceFor(current.side, parsed.payout);
        const fills = [...(await exitFills(trx, positionId)), { price, quantity: current.quantity }];
        const changes = {
          status: 'settled' as const,
          exit_time: parsed.settlement_timestamp ?? at,
          exit_price: averageExitPrice(fills),
          realized_pnl: realizedPnlAfter(current.realized_pnl, current.entry_price, price, current.quantity),
          unrealized_pnl: '0.0000',
          unrealized_pnl_pct: '0.0000',
        };
        const settled = await updateVersion(trx, 'positions', { position_id: positionId }, changes, { at });
        positions.push(settled.version as unknown as Position);
      }
      return { settlement, market, positions };
    }),
  );
}

/** The settlement of a market, or undefined. */
export async function getSettlement(db: Executor, marketId: string): Promise<Settlement | undefined> {
  return db.selectFrom('settlements').selectAll().where('market_id', '=', marketId).executeTakeFirst();
}
