import { EmptySampleError, InvalidPredictionError } from './errors.js';
import { isOutcome, type Outcome } from './prediction.js';

/** One forecast as 538's NFL forecasting game scores it. */
export interface GamePoints538Input {
  readonly season: number;
  readonly probability: number;
  readonly outcome: Outcome;
  readonly playoff: boolean;
}

/** Points per season and their mean, as 538's `eval.py` reports them. */
export interface SeasonPoints538 {
  /** Season → total points (ties add nothing), ascending by season. */
  readonly bySeason: ReadonlyMap<number, number>;
  /** Mean of the season totals over seasons with at least one decided game. */
  readonly average: number;
}

/**
 * The probability in whole percent, rounded on the exact binary value of `probability`
 * (`toFixed` semantics): the nearest hundredth, and on an exact half — possible only for
 * 0.125, 0.375, 0.625 and 0.875 — the higher one. 538's `round(p, 2)` agrees on every
 * other value, which is every value in its data.
 */
export function probabilityPercent(probability: number): number {
  return Math.round(Number(probability.toFixed(2)) * 100);
}

/**
 * 538's game score in tenths of a point, as an exact integer; null for a tie (skipped).
 * With P = {@link probabilityPercent} and R = 100 × outcome, the score in hundredths is
 * h = 2500 − (P − R)², i.e. 25 − 100·(round(p, 2) − outcome)². It is rounded half up
 * (towards +∞, as 538's `+ 0.001 if negative` nudge does) to tenths: ⌊(h + 5) / 10⌋;
 * then doubled in the playoffs — after rounding, as 538's `util.py` does. Range: −750
 * (a sure miss) to 250 (a sure hit), doubled in the playoffs.
 */
export function gamePoints538Tenths(probability: number, outcome: Outcome, playoff: boolean): number | null {
  checkInput(probability, outcome, null);
  return scoreTenths(probability, outcome, playoff);
}

function scoreTenths(probability: number, outcome: Outcome, playoff: boolean): number | null {
  if (outcome === 0.5) return null;
  const miss = probabilityPercent(probability) - outcome * 100;
  const tenths = Math.floor((2500 - miss * miss + 5) / 10);
  return playoff ? tenths * 2 : tenths;
}

/**
 * 538's game score in points (see {@link gamePoints538Tenths} for the rules): e.g. a 62%
 * forecast that comes true scores 25 − 100·0.38² = 10.56 → 10.6, doubled to 21.2 in the
 * playoffs. Null for a tie, which 538 skips.
 */
export function gamePoints538(probability: number, outcome: Outcome, playoff: boolean): number | null {
  const tenths = gamePoints538Tenths(probability, outcome, playoff);
  return tenths === null ? null : tenths / 10;
}

/**
 * Sums {@link gamePoints538} per season (in exact tenths, so no float drift) and averages
 * the season totals the way 538's `eval.py` does: over the seasons that have at least one
 * decided game. Throws when no game is decided.
 */
export function seasonPoints538(games: Iterable<GamePoints538Input>): SeasonPoints538 {
  const tenthsBySeason = new Map<number, number>();
  let index = 0;
  for (const { season, probability, outcome, playoff } of games) {
    checkInput(probability, outcome, index);
    index += 1;
    const tenths = scoreTenths(probability, outcome, playoff);
    if (tenths === null) continue;
    tenthsBySeason.set(season, (tenthsBySeason.get(season) ?? 0) + tenths);
  }
  if (tenthsBySeason.size === 0) {
    throw new EmptySampleError('seasonPoints538', 'needs at least one decided (non-tie) game');
  }
  const seasons = [...tenthsBySeason.keys()].sort((a, b) => a - b);
  let totalTenths = 0;
  const bySeason = new Map<number, number>();
  for (const season of seasons) {
    const tenths = tenthsBySeason.get(season) ?? 0;
    totalTenths += tenths;
    bySeason.set(season, tenths / 10);
  }
  return { bySeason, average: totalTenths / 10 / seasons.length };
}

function checkInput(probability: number, outcome: Outcome, index: number | null): void {
  if (!(Number.isFinite(probability) && probability >= 0 && probability <= 1)) {
    throw new InvalidPredictionError(index, 'probability', probability, 'must be a number in [0, 1]');
  }
  if (!isOutcome(outcome)) throw new InvalidPredictionError(index, 'outcome', outcome, 'must be 0, 0.5 or 1');
}
