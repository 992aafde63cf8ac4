import { InvalidOptionError } from './errors.js';
import { normalCdf } from './normal-cdf.js';

/**
 * Standard deviation (points) of the final home margin around the closing line, used to turn
 * a spread into a win probability. 13.45 scores a Brier of 0.2128 on 2000–2020 games.
 */
export const DEFAULT_SPREAD_SIGMA = 13.45;

/** Who the line favours: one of the two teams, or neither (a pick'em). */
export type SpreadFavorite = 'home' | 'away' | 'pick';

/**
 * The home team's spread line, negative when the home team is favoured.
 *
 * `spreadFavorite` is the favourite's line as quoted (≤ 0, e.g. −3.5). Rules: home favoured →
 * the line itself; away favoured → its negation; pick'em → 0.
 */
export function homeSpreadLine(favorite: SpreadFavorite, spreadFavorite: number): number {
  if (favorite === 'pick') return 0;
  const line = -Math.abs(spreadFavorite);
  // `+ 0` turns the −0 of a zero away line into 0.
  return (favorite === 'home' ? line : -line) + 0;
}

/**
 * The spread-implied home win probability p = Φ(m / σ), where m = −spreadLineHome is the
 * home margin the line predicts and σ is the margin's standard deviation (default
 * {@link DEFAULT_SPREAD_SIGMA}). A pick'em gives 0.5.
 */
export function spreadImpliedHomeWinProbability(spreadLineHome: number, sigma: number = DEFAULT_SPREAD_SIGMA): number {
  if (!(Number.isFinite(sigma) && sigma > 0)) throw new InvalidOptionError('sigma', sigma, 'must be a positive number');
  return normalCdf(-spreadLineHome / sigma);
}
