import { checkPredictions, type Prediction } from './prediction.js';

/**
 * Brier score: the mean of `(probability − outcome)²`, in [0, 1], lower is better.
 * Ties (outcome 0.5) are scored like any other outcome; filter them out first to compare
 * with figures over decided games. Throws on an empty or malformed input.
 */
export function brier(predictions: readonly Prediction[]): number {
  checkPredictions('brier', predictions);
  let total = 0;
  for (const { probability, outcome } of predictions) total += (probability - outcome) ** 2;
  return total / predictions.length;
}
