import { normalCdf } from '../../entities/nfl/normal-cdf.js';
import { LOG_LOSS_EPSILON } from '../metrics/log-loss.js';
import { isOutcome } from '../metrics/prediction.js';
import { InvalidEvaluationInputError } from './errors.js';
import type { FoldFitter } from './walk-forward.js';

/** The σ search interval, in points: far wider than any plausible NFL value (~13–14). */
export const SPREAD_SIGMA_BOUNDS = Object.freeze({ min: 0.5, max: 100 });

/** A fitted spread σ. */
export interface SpreadSigmaFit {
  /** The σ (points) that maximizes the likelihood of the outcomes. */
  readonly sigma: number;
  /** Rows used: a spread and an outcome present. */
  readonly n: number;
  /** Mean log loss of Φ(−spread/σ) over those rows at the fitted σ. */
  readonly logLoss: number;
  /** True when σ ended on a bound of {@link SPREAD_SIGMA_BOUNDS} (e.g. spreads that never miss). */
  readonly atBound: boolean;
}

/**
 * P(home team wins) implied by the home team's point spread: Φ(−spread/σ). The spread is
 * the home line, negative when the home team is favoured (−7: home gives 7 points), so
 * −7 with σ = 13.5 gives Φ(0.52) ≈ 0.70; a pick'em (0) gives ½.
 */
export function spreadProbability(spreadLineHome: number, sigma: number): number {
  return normalCdf(-spreadLineHome / sigma);
}

/**
 * Fits σ of the spread model p = Φ(−spread/σ) by maximum likelihood: the σ minimizing the
 * mean log loss of the outcomes (1 home win, 0 loss, 0.5 tie — which counts as half a win
 * and half a loss). Maximum likelihood rather than minimum Brier because it is the
 * model's own estimator (a probit with one coefficient 1/σ and no intercept) and its loss
 * is convex in 1/σ, so it has a single minimum and a 1-D search finds it: golden-section
 * search over ln σ in {@link SPREAD_SIGMA_BOUNDS}, to a relative precision of ~1e-10. (The
 * probabilities are clipped as in `logLoss`, which only matters for |spread/σ| > 8.)
 *
 * Rows with a missing spread (null, NaN) are skipped; outcomes must be 0, 0.5 or 1. Fit it
 * on training seasons only. Throws {@link InvalidEvaluationInputError} when the columns
 * differ in length or no row has a non-zero spread (σ is then undetermined).
 */
export function fitSpreadSigma(spreadLineHome: ArrayLike<number | null>, outcome: ArrayLike<number>): SpreadSigmaFit {
  if (spreadLineHome.length !== outcome.length) {
    throw new InvalidEvaluationInputError('outcome', null, `length ${outcome.length}`, `spreads have ${spreadLineHome.length} rows`);
  }
  const spreads: number[] = [];
  const outcomes: number[] = [];
  let informative = false;
  for (let i = 0; i < spreadLineHome.length; i++) {
    const s = spreadLineHome[i];
    if (s === null || s === undefined || Number.isNaN(s)) continue;
    if (!Number.isFinite(s)) throw new InvalidEvaluationInputError('spreadLineHome', i, s, 'must be finite');
    const o = outcome[i];
    if (!isOutcome(o)) throw new InvalidEvaluationInputError('outcome', i, o, 'must be 0, 0.5 or 1');
    spreads.push(s);
    outcomes.push(o);
    if (s !== 0) informative = true;
  }
  if (!informative) {
    throw new InvalidEvaluationInputError('spreadLineHome', null, undefined, 'needs at least one non-zero spread to fit σ');
  }
  const loss = (sigma: number): number => meanLogLoss(spreads, outcomes, sigma);
  const lo = Math.log(SPREAD_SIGMA_BOUNDS.min);
  const hi = Math.log(SPREAD_SIGMA_BOUNDS.max);
  const t = goldenSectionMinimum((x) => loss(Math.exp(x)), lo, hi, 1e-10);
  const sigma = Math.exp(t);
  return Object.freeze({
    sigma,
    n: spreads.length,
    logLoss: loss(sigma),
    atBound: t - lo < 1e-6 || hi - t < 1e-6,
  });
}

/**
 * The spread baseline for {@link runWalkForward}: in each fold, σ is fitted
 * ({@link fitSpreadSigma}) on the fold's training rows only, then each test row gets
 * Φ(−spread/σ), or null (missing) where it has no spread. Reports `sigma`, `n` and
 * `atBound` as the fold's info.
 */
export function spreadBaseline(spreadLineHome: ArrayLike<number | null>, outcomes: ArrayLike<number>): FoldFitter {
  const at = (rows: readonly number[], column: ArrayLike<number | null>): (number | null)[] =>
    rows.map((r) => column[r] ?? null);
  return (trainRows) => {
    const fit = fitSpreadSigma(at(trainRows, spreadLineHome), trainRows.map((r) => outcomes[r] ?? Number.NaN));
    return {
      info: { sigma: fit.sigma, n: fit.n, atBound: fit.atBound },
      predict: (testRows) =>
        at(testRows, spreadLineHome).map((s) => (s === null || Number.isNaN(s) ? null : spreadProbability(s, fit.sigma))),
    };
  };
}

function meanLogLoss(spreads: readonly number[], outcomes: readonly number[], sigma: number): number {
  let total = 0;
  for (let i = 0; i < spreads.length; i++) {
    const p = Math.min(Math.max(spreadProbability(spreads[i] as number, sigma), LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    const o = outcomes[i] as number;
    total -= o * Math.log(p) + (1 - o) * Math.log(1 - p);
  }
  return total / spreads.length;
}

const INVERSE_PHI = (Math.sqrt(5) - 1) / 2;

/** The minimum of a unimodal `f` on [a, b], by golden-section search to a bracket below `tolerance`. */
function goldenSectionMinimum(f: (x: number) => number, a: number, b: number, tolerance: number): number {
  let lo = a;
  let hi = b;
  let x1 = hi - INVERSE_PHI * (hi - lo);
  let x2 = lo + INVERSE_PHI * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  while (hi - lo > tolerance) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - INVERSE_PHI * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + INVERSE_PHI * (hi - lo);
      f2 = f(x2);
    }
  }
  // The bounds themselves are candidates: a monotone loss ends the bracket next to one.
  const best = [lo, (lo + hi) / 2, hi, a, b].reduce((m, x) => (f(x) < f(m) ? x : m));
  return best;
}
