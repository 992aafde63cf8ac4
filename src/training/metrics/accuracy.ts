import { EmptySampleError } from './errors.js';
import { checkPredictions, type Prediction } from './prediction.js';

/**
 * Share of decided games called right, in [0, 1].
 * - A prediction picks outcome 1 when `probability ≥ 0.5` and outcome 0 otherwise: a
 *   coin flip goes to the side the probability is about (538's team1), as `Math.round`
 *   would. (538's one exact 0.5 in 1920–2020 is why the reference accuracy reads 66.6%
 *   and not 66.5%.)
 * - Ties (outcome 0.5) cannot be called by a pick, so they are left out of both the
 *   numerator and the denominator.
 * Throws {@link EmptySampleError} when no decided outcome remains.
 */
export function accuracy(predictions: readonly Prediction[]): number {
  checkPredictions('accuracy', predictions);
  let decided = 0;
  let correct = 0;
  for (const { probability, outcome } of predictions) {
    if (outcome === 0.5) continue;
    decided += 1;
    if ((probability >= 0.5 ? 1 : 0) === outcome) correct += 1;
  }
  if (decided === 0) throw new EmptySampleError('accuracy', 'needs at least one decided (non-tie) outcome');
  return correct / decided;
}
