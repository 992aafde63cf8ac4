import { InvalidCalendarDateError } from './errors.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const MS_PER_DAY = 86_400_000;

function isoIfValid(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2021-02-30 over to March; a real date survives the round trip.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

/** `value` if it is a real calendar date written `YYYY-MM-DD`, else `undefined`. */
export function parseIsoDate(value: string): string | undefined {
  const m = ISO_DATE.exec(value);
  return m ? isoIfValid(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** A US `M/D/YYYY` date (leading zeros optional) as `YYYY-MM-DD`, or `undefined` if not a real date. */
export function parseUsDate(value: string): string | undefined {
  const m = US_DATE.exec(value);
  return m ? isoIfValid(Number(m[3]), Number(m[1]), Number(m[2])) : undefined;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; throws {@link InvalidCalendarDateError} otherwise. */
export function dayNumber(isoDate: string): number {
  const valid = parseIsoDate(isoDate);
  if (valid === undefined) throw new InvalidCalendarDateError(isoDate);
  return Date.parse(`${valid}T00:00:00Z`) / MS_PER_DAY;
}

/** The `YYYY-MM-DD` date `days` days after (or before, if negative) `isoDate`. */
export function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Whether a game on `isoDate` can belong to NFL season `season`: from 1 August of that year
 * to the last day of February of the next (the Super Bowl has never been played later).
 */
export function isInSeasonWindow(isoDate: string, season: number): boolean {
  return isoDate >= `${season}-08-01` && isoDate < `${season + 1}-03-01`;
}
