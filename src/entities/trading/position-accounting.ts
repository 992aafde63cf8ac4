import type { ContractSide } from '../../db/tables/check-values.js';
import { divideRounded, text4, units4 } from './decimal.js';

/**
 * The arithmetic of exits and settlements, exact: every amount is an integer count of
 * 1/10,000 (the scale of every price and money column), never a JS float.
 *
 * Realized P&L is gross of fees: each exit or settlement adds
 * `(exit price − entry price) × contracts` for the contract held (YES or NO); fees are
 * kept apart in `positions.fees`.
 */

/** `previous + (exitPrice − entryPrice) × quantity`, as DECIMAL(14,4) text. */
export function realizedPnlAfter(
  previous: string | null,
  entryPrice: string,
  exitPrice: string,
  quantity: number,
): string {
  return text4(units4(previous) + (units4(exitPrice) - units4(entryPrice)) * BigInt(quantity));
}

/** The contract-weighted average of fill prices, rounded half away from zero to 4 places. */
export function averageExitPrice(fills: readonly { price: string; quantity: number }[]): string {
  let value = 0n;
  let contracts = 0n;
  for (const fill of fills) {
    value += units4(fill.price) * BigInt(fill.quantity);
    contracts += BigInt(fill.quantity);
  }
  if (contracts === 0n) throw new Error('averageExitPrice needs at least one fill');
  return text4(divideRounded(value, contracts));
}

/** The sum of two optional fee amounts; null when both are null. */
export function addFees(a: string | null | undefined, b: string | null | undefined): string | null {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return null;
  return text4(units4(a) + units4(b));
}

/**
 * What one contract of `side` is worth at settlement, from the payout per YES contract:
 * the payout for YES, `1 − payout` for NO.
 */
export function settlementPriceFor(side: ContractSide, payoutPerYes: string): string {
  return side === 'yes' ? text4(units4(payoutPerYes)) : text4(10_000n - units4(payoutPerYes));
}
