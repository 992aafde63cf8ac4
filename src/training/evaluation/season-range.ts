import { InvalidSeasonRangeError } from './errors.js';

/** An inclusive range of seasons. */
export interface SeasonRange {
  readonly from: number;
  readonly to: number;
}

const RANGE = /^\s*(-?\d+)\s*(?::\s*(-?\d+)\s*)?$/;

/**
 * Reads `from:to` (e.g. `2000:2020`, both inclusive) or a single season `2010`, or checks
 * an object `{ from, to }`. Seasons are integers and `from ≤ to`; anything else throws
 * {@link InvalidSeasonRangeError}. Returns a frozen range.
 */
export function parseSeasonRange(input: string | SeasonRange): SeasonRange {
  let from: number;
  let to: number;
  if (typeof input === 'string') {
    const match = RANGE.exec(input);
    if (match === null) throw new InvalidSeasonRangeError(input, 'expected from:to, e.g. 2000:2020');
    from = Number(match[1]);
    to = match[2] === undefined ? from : Number(match[2]);
  } else {
    ({ from, to } = input);
  }
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
    throw new InvalidSeasonRangeError(input, 'seasons must be integers');
  }
  if (from > to) throw new InvalidSeasonRangeError(input, `from ${from} is after to ${to}`);
  return Object.freeze({ from, to });
}

/** `from:to`, as {@link parseSeasonRange} reads it. */
export function formatSeasonRange(range: SeasonRange): string {
  return `${range.from}:${range.to}`;
}
