import { z } from 'zod';

/**
 * Exact decimals for prices, probabilities and money. A value is held as an integer count
 * of units of its column's scale (`'0.6500'` at scale 4 is `6500n`), so validation,
 * rounding and P&L never pass through a JS float; values go to the database as text.
 */

/** A DECIMAL(precision, scale) column and the range its CHECK allows. */
export interface DecimalColumn {
  readonly precision: number;
  readonly scale: number;
  /** Inclusive bounds, as decimal text; absent = only the precision limits. */
  readonly min?: string;
  readonly max?: string;
  /** The rule in words, for error messages. */
  readonly rule: string;
}

/** DECIMAL(10,4) in [0, 1]: prices and probabilities. */
export const PROBABILITY: DecimalColumn = {
  precision: 10,
  scale: 4,
  min: '0',
  max: '1',
  rule: 'must be a probability in [0, 1]',
};
/** DECIMAL(10,4) in [-1, 1]: signed edges and expected values. */
export const SIGNED_UNIT: DecimalColumn = { precision: 10, scale: 4, min: '-1', max: '1', rule: 'must be in [-1, 1]' };
/** DECIMAL(14,4) >= 0: fees and balances. */
export const NON_NEGATIVE_MONEY: DecimalColumn = { precision: 14, scale: 4, min: '0', rule: 'must be an amount >= 0' };
/** DECIMAL(14,4), signed: P&L. */
export const MONEY: DecimalColumn = { precision: 14, scale: 4, rule: 'must be an amount' };
/** DECIMAL(6,4): a ratio such as `unrealized_pnl_pct` (0.1234 = 12.34%). */
export const RATIO: DecimalColumn = { precision: 6, scale: 4, rule: 'must be a ratio' };
/** DECIMAL(8,2) >= 0: `game_states.clock_seconds`. */
export const CLOCK_SECONDS: DecimalColumn = { precision: 8, scale: 2, min: '0', rule: 'must be seconds >= 0' };

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
// Exponents beyond this are far outside every column; refusing them keeps 10n ** e cheap.
const MAX_EXPONENT = 400;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** `a / b` rounded half away from zero (PostgreSQL's NUMERIC rounding); `b > 0`. */
export function divideRounded(a: bigint, b: bigint): bigint {
  const negative = a < 0n;
  const magnitude = negative ? -a : a;
  let quotient = magnitude / b;
  if ((magnitude % b) * 2n >= b) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * Parses decimal text or a finite number into units of `scale`, rounding half away from
 * zero as PostgreSQL does when it stores the value. Undefined when it is not a decimal
 * number (empty, NaN, Infinity, garbage, an absurd exponent).
 */
export function toUnits(value: string | number, scale: number): bigint | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  const text = (typeof value === 'number' ? String(value) : value).trim();
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = Number(exponentText) - fraction.length;
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const digits = BigInt(`${whole}${fraction}` || '0');
  const shift = exponent + scale;
  const units = shift >= 0 ? digits * pow10(shift) : divideRounded(digits, pow10(-shift));
  return sign === '-' ? -units : units;
}

/** Formats units of `scale` as canonical decimal text: `6500n`, 4 → `'0.6500'`. */
export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return negative ? `-${text}` : text;
}

/** Why a value does not fit a column, or undefined when it does. */
function problemOf(units: bigint | undefined, column: DecimalColumn): string | undefined {
  if (units === undefined) return 'must be a decimal number (text such as "0.65", or a finite number)';
  const { precision, scale, min, max } = column;
  const range = min !== undefined || max !== undefined;
  if ((min !== undefined && units < toUnits(min, scale)!) || (max !== undefined && units > toUnits(max, scale)!)) {
    return column.rule;
  }
  const magnitude = units < 0n ? -units : units;
  if (magnitude >= pow10(precision)) return `${range ? column.rule : 'does not fit'} (DECIMAL(${precision},${scale}))`;
  return undefined;
}

/**
 * Normalizes a value for a DECIMAL column: canonical text rounded to the column's scale,
 * exactly as the database would store it. Returns the text, or the reason it is rejected
 * (not a number, outside the CHECK range, too large for the precision).
 */
export function normalizeDecimal(
  value: string | number,
  column: DecimalColumn,
): { ok: true; text: string } | { ok: false; reason: string } {
  const units = toUnits(value, column.scale);
  const problem = problemOf(units, column);
  return problem === undefined ? { ok: true, text: formatUnits(units!, column.scale) } : { ok: false, reason: problem };
}

/**
 * A zod schema for a DECIMAL column: accepts decimal text or a finite number and outputs
 * the canonical text (e.g. `0.65` → `'0.6500'`), rejecting values outside the column's
 * CHECK range with the rule in words.
 */
export function decimalSchema(column: DecimalColumn) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const result = normalizeDecimal(value, column);
    if (result.ok) return result.text;
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  });
}

/** Units at scale 4 (the scale of every price and money column) of stored decimal text. */
export function units4(text: string | null | undefined): bigint {
  if (text === null || text === undefined) return 0n;
  const units = toUnits(text, 4);
  if (units === undefined) throw new Error(`not a decimal: ${text}`);
  return units;
}

/** Decimal text at scale 4 of units at scale 4. */
export function text4(units: bigint): string {
  return formatUnits(units, 4);
}
