import { fixedReversionKey, type EloParams } from './elo-params.js';
import { eloWinProbability } from './elo-probability.js';
import { marginOfVictoryMultiplier } from './margin-of-victory.js';

/** The parameters one game's update needs. */
export type EloGameParams = Pick<EloParams, 'k' | 'homeAdvantage' | 'marginOfVictory'>;

/** The final score of a game: team1's points and team2's points. */
export interface EloScore {
  readonly score1: number;
  readonly score2: number;
}

/** What one game does to two ratings. */
export interface EloGameUpdate {
  /** team1's Elo advantage: rating1 − rating2, plus home-field advantage unless neutral. */
  readonly diff: number;
  /** Pre-game probability that team1 wins. */
  readonly probability1: number;
  /** Points team1 gains and team2 loses; 0 when the game has no score. */
  readonly shift: number;
  /** Post-game ratings, or null when the game has no score (nothing is updated). */
  readonly rating1After: number | null;
  readonly rating2After: number | null;
}

/**
 * Rates one game, purely. `rating1` belongs to team1, the home team unless `neutral`.
 * probability1 = {@link eloWinProbability}(diff); with a score, result1 is 1 / 0.5 / 0
 * (win / tie / loss) and `shift = k × mult × (result1 − probability1)`, where `mult` is
 * {@link marginOfVictoryMultiplier} when `marginOfVictory` is on and 1 otherwise; team1
 * gains the shift, team2 loses it (the sum of ratings is conserved).
 */
export function rateGame(
  params: EloGameParams,
  rating1: number,
  rating2: number,
  neutral: boolean,
  score: EloScore | null,
): EloGameUpdate {
  const diff = rating1 - rating2 + (neutral ? 0 : params.homeAdvantage);
  const probability1 = eloWinProbability(diff);
  if (score === null) {
    return { diff, probability1, shift: 0, rating1After: null, rating2After: null };
  }
  const margin = score.score1 - score.score2;
  const result1 = margin > 0 ? 1 : margin < 0 ? 0 : 0.5;
  const mult = params.marginOfVictory ? marginOfVictoryMultiplier(margin, diff) : 1;
  const shift = params.k * mult * (result1 - probability1);
  return { diff, probability1, shift, rating1After: rating1 + shift, rating2After: rating2 - shift };
}

/** A team's rating moving from one season to the next. */
export interface EloReversion {
  readonly team: string;
  /** The season about to start. */
  readonly season: number;
  readonly ratingBefore: number;
  readonly ratingAfter: number;
  /** True when `ratingAfter` came from `fixedReversions` rather than the formula. */
  readonly fixed: boolean;
}

/**
 * The rating `team` starts `season` with, given its rating at the end of its previous
 * season, purely: the `fixedReversions` entry `team + season` when there is one, otherwise
 * `rating × (1 − revertFraction) + revertTo × revertFraction` (538: a third of the way to
 * 1505, computed in this order as 538's code does).
 */
export function revertRating(
  params: Pick<EloParams, 'revertTo' | 'revertFraction' | 'fixedReversions'>,
  team: string,
  season: number,
  rating: number,
): EloReversion {
  const fixedRating = params.fixedReversions[fixedReversionKey(team, season)];
  if (fixedRating !== undefined) {
    return { team, season, ratingBefore: rating, ratingAfter: fixedRating, fixed: true };
  }
  const ratingAfter = rating * (1 - params.revertFraction) + params.revertTo * params.revertFraction;
  return { team, season, ratingBefore: rating, ratingAfter, fixed: false };
}
