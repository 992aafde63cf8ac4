import { dayNumber } from './calendar-date.js';

/**
 * Hour (UTC) of the default kickoff given to games whose source has only a date: 18:00 UTC,
 * which is 1 pm US Eastern Standard Time, the traditional Sunday early slot.
 *
 * Why a fixed UTC instant and not a local time: it is deterministic (no time zone database,
 * no daylight-saving rules, the same instant on every machine), so every rebuild puts the
 * same game at the same point in time. With labels taken at kickoff − 1 h, a date-only game
 * is labelled at 17:00 UTC, which is before any game of that date ends — except the 9:30 am
 * Eastern London games (2014–2019), which kick off at 13:30/14:30 UTC; their results must not
 * be timestamped before this default kickoff.
 */
export const DEFAULT_KICKOFF_UTC_HOUR = 18;

/**
 * The default kickoff instant of a game played on `date` (`YYYY-MM-DD`): that date at
 * {@link DEFAULT_KICKOFF_UTC_HOUR}:00 UTC. Throws `InvalidCalendarDateError` for a string
 * that is not a real calendar date.
 */
export function defaultKickoff(date: string): Date {
  return new Date((dayNumber(date) * 24 + DEFAULT_KICKOFF_UTC_HOUR) * 3_600_000);
}
