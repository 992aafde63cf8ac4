/**
 * When each NFL value becomes true, relative to a game's kickoff — the one place these
 * offsets are defined, so importers, the Elo run and dataset labels stay consistent.
 *
 * Games whose source has only a date kick off at {@link defaultKickoff} (18:00 UTC). A
 * dataset labels a game at kickoff − {@link NFL_LABEL_LEAD_MS} (1 h): everything a trader
 * could know then must be stamped at or before it, and nothing about the game's outcome may
 * be. The stamps, in time order around one game:
 *
 *   season start (June 1) ─ … ─ pre-game (−2 h) ─ label (−1 h) ─ kickoff (closing line) ─ post-game (+4 h)
 *
 * - **pre-game** values (538's probability, 538's pre-game rating, our Elo probability):
 *   kickoff − 2 h, so they are visible at the label time.
 * - **closing line** (spread, total, implied probability): kickoff itself. It is the line
 *   *at* kickoff, so a label at kickoff − 1 h must not see it — by design, not a bug: a
 *   model that used it would be trading on a price it could not have had.
 * - **post-game** Elo ratings: kickoff + 4 h, when the game is over. A team's next game is
 *   at least a day later, so the rating is visible at that game's label time, and never at
 *   its own.
 * - **season start**: a team's rating reverted between seasons (and a team's initial
 *   rating), at `<season>-06-01T00:00:00Z` — after every game of the previous season (the
 *   season window ends in February) and before any game of the new one (it opens in August).
 *
 * Historical backfills store `available_at = timestamp`, so "what was known at T" answers
 * as if each value had been recorded when it became true.
 */
import { defaultKickoff } from './kickoff.js';

const HOUR_MS = 3_600_000;

/** How long before kickoff a game's label (decision) time is: 1 h. */
export const NFL_LABEL_LEAD_MS = 1 * HOUR_MS;

/** Pre-game values are stamped this long before kickoff: 2 h (before the label time). */
export const PRE_GAME_LEAD_MS = 2 * HOUR_MS;

/** Post-game values are stamped this long after kickoff: 4 h (the game is over). */
export const POST_GAME_LAG_MS = 4 * HOUR_MS;

/** Month and day (UTC) on which season-start values are stamped: June 1, 00:00 UTC. */
export const SEASON_START_MONTH_DAY = '06-01';

/** Human-readable stamp rules, recorded in feature definitions' `calculation_method`. */
export const STAMP_RULES = {
  preGame: 'kickoff - 2h',
  closingLine: 'kickoff',
  postGame: 'kickoff + 4h',
  seasonStart: '<season>-06-01T00:00:00Z',
} as const;

/** A game's label (decision) time: kickoff − 1 h. */
export function labelTime(kickoff: Date): Date {
  return new Date(kickoff.getTime() - NFL_LABEL_LEAD_MS);
}

/** When a pre-game value of a game kicking off at `kickoff` becomes true: kickoff − 2 h. */
export function preGameStamp(kickoff: Date): Date {
  return new Date(kickoff.getTime() - PRE_GAME_LEAD_MS);
}

/** When a game's closing betting line becomes true: at kickoff. */
export function closingLineStamp(kickoff: Date): Date {
  return new Date(kickoff.getTime());
}

/** When a post-game value (a rating after the game) becomes true: kickoff + 4 h. */
export function postGameStamp(kickoff: Date): Date {
  return new Date(kickoff.getTime() + POST_GAME_LAG_MS);
}

/** When a rating a team enters `season` with becomes true: `<season>-06-01T00:00:00Z`. */
export function seasonStartStamp(season: number): Date {
  return new Date(`${String(season).padStart(4, '0')}-${SEASON_START_MONTH_DAY}T00:00:00Z`);
}

/** The kickoff of a date-only game (`YYYY-MM-DD`): {@link defaultKickoff}. */
export function nflKickoff(date: string): Date {
  return defaultKickoff(date);
}
