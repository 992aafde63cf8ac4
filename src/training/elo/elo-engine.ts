import type { EloParams } from './elo-params.js';
import { InvalidEloGameError } from './errors.js';
import { rateGame, revertRating, type EloReversion } from './elo-update.js';

/**
 * One game as the Elo engine reads it. `home` is 538's team1: the home team unless
 * `neutral`. Both scores are null for a game not played yet; other fields pass through.
 */
export interface EloGame {
  readonly season: number;
  readonly home: string;
  readonly away: string;
  readonly neutral: boolean;
  readonly homeScore: number | null;
  readonly awayScore: number | null;
}

/** The engine's output for one game. */
export interface EloGameRating<G extends EloGame = EloGame> {
  /** The input game, unchanged (so callers keep their dates and ids). */
  readonly game: G;
  readonly season: number;
  readonly home: string;
  readonly away: string;
  /** Pre-game ratings, after any season reversion. */
  readonly homeRatingBefore: number;
  readonly awayRatingBefore: number;
  /** Pre-game probability that `home` (team1) wins. */
  readonly homeWinProbability: number;
  /** Post-game ratings; null when the game has no score. */
  readonly homeRatingAfter: number | null;
  readonly awayRatingAfter: number | null;
  /** Reversions applied to these two teams just before this game (0, 1 or 2). */
  readonly reversions: readonly EloReversion[];
}

/** A team's current rating and the season of its last game (null before its first game). */
export interface TeamEloState {
  readonly team: string;
  readonly rating: number;
  readonly season: number | null;
}

/** Feeds games one at a time, carrying every team's rating between calls. */
export interface EloEngine {
  /** Rates the next game (games must come in date order) and updates both teams. */
  play<G extends EloGame>(game: G): EloGameRating<G>;
  /** The state of every team seen so far or seeded, in first-seen order. */
  teams(): readonly TeamEloState[];
}

/** Everything {@link runElo} produces. */
export interface EloRun<G extends EloGame> {
  readonly games: readonly EloGameRating<G>[];
  /** Every reversion, in the order applied; store each as its own time-stamped rating. */
  readonly reversions: readonly EloReversion[];
  /** Every team's state after the last game. */
  readonly teams: readonly TeamEloState[];
}

/**
 * Creates an Elo engine with 538's season semantics:
 * - a team missing from `seed` starts at `initialRatings[team]`, else `defaultInitialRating`;
 * - a team reverts (see {@link revertRating}) when it plays its first game of a season
 *   later than the season of its previous game — once, however many seasons it skipped
 *   (538 covers its returning franchises with `fixedReversions`); a team's first game
 *   ever never reverts;
 * - reversion happens for unplayed games too, so a forecast of a new season's game uses
 *   the reverted rating; an unplayed game changes no rating otherwise.
 * `seed` resumes a previous run (from {@link EloEngine.teams}). Throws
 * {@link InvalidEloGameError} for a malformed game or a team whose season goes backwards;
 * a rejected game changes nothing.
 */
export function createEloEngine(params: EloParams, seed: Iterable<TeamEloState> = []): EloEngine {
  const state = new Map<string, TeamEloState>();
  for (const team of seed) state.set(team.team, team);
  let played = 0;

  const current = (team: string): TeamEloState =>
    state.get(team) ?? {
      team,
      rating: params.initialRatings[team] ?? params.defaultInitialRating,
      season: null,
    };

  const enterSeason = (team: TeamEloState, season: number): { rating: number; reversion: EloReversion | null } => {
    if (team.season === null || team.season === season) return { rating: team.rating, reversion: null };
    const reversion = revertRating(params, team.team, season, team.rating);
    return { rating: reversion.ratingAfter, reversion };
  };

  return {
    play<G extends EloGame>(game: G): EloGameRating<G> {
      const index = played;
      validateGame(game, index);
      const home = current(game.home);
      const away = current(game.away);
      for (const team of [home, away]) {
        if (team.season !== null && team.season > game.season) {
          throw new InvalidEloGameError(
            'season',
            game.season,
            `${team.team} already played in season ${team.season}; games must come in date order`,
            index,
          );
        }
      }
      const homeEntry = enterSeason(home, game.season);
      const awayEntry = enterSeason(away, game.season);
      const score =
        game.homeScore === null || game.awayScore === null
          ? null
          : { score1: game.homeScore, score2: game.awayScore };
      const update = rateGame(params, homeEntry.rating, awayEntry.rating, game.neutral, score);

      state.set(game.home, { team: game.home, rating: update.rating1After ?? homeEntry.rating, season: game.season });
      state.set(game.away, { team: game.away, rating: update.rating2After ?? awayEntry.rating, season: game.season });
      played += 1;

      const reversions: EloReversion[] = [];
      if (homeEntry.reversion !== null) reversions.push(homeEntry.reversion);
      if (awayEntry.reversion !== null) reversions.push(awayEntry.reversion);
      return {
        game,
        season: game.season,
        home: game.home,
        away: game.away,
        homeRatingBefore: homeEntry.rating,
        awayRatingBefore: awayEntry.rating,
        homeWinProbability: update.probability1,
        homeRatingAfter: update.rating1After,
        awayRatingAfter: update.rating2After,
        reversions,
      };
    },
    teams(): readonly TeamEloState[] {
      return [...state.values()];
    },
  };
}

/**
 * Runs a fresh engine over `games`, which must be in date order (538's `nfl_games.csv`
 * already is; same-day order does not matter because no team plays twice a day).
 * Returns one rating per game, every reversion, and the final team states.
 */
export function runElo<G extends EloGame>(params: EloParams, games: Iterable<G>): EloRun<G> {
  const engine = createEloEngine(params);
  const rated: EloGameRating<G>[] = [];
  const reversions: EloReversion[] = [];
  for (const game of games) {
    const rating = engine.play(game);
    rated.push(rating);
    reversions.push(...rating.reversions);
  }
  return { games: rated, reversions, teams: engine.teams() };
}

function validateGame(game: EloGame, index: number): void {
  if (!Number.isInteger(game.season)) {
    throw new InvalidEloGameError('season', game.season, 'must be an integer', index);
  }
  if (game.home === '') throw new InvalidEloGameError('home', game.home, 'must not be empty', index);
  if (game.away === '') throw new InvalidEloGameError('away', game.away, 'must not be empty', index);
  if (game.home === game.away) {
    throw new InvalidEloGameError('away', game.away, 'a team cannot play itself', index);
  }
  if ((game.homeScore === null) !== (game.awayScore === null)) {
    throw new InvalidEloGameError(
      game.homeScore === null ? 'homeScore' : 'awayScore',
      null,
      'both scores or neither must be given',
      index,
    );
  }
  for (const field of ['homeScore', 'awayScore'] as const) {
    const value = game[field];
    if (value !== null && !(Number.isFinite(value) && value >= 0)) {
      throw new InvalidEloGameError(field, value, 'must be a finite number ≥ 0', index);
    }
  }
}
