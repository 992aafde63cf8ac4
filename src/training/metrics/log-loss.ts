import { checkPredictions, type Prediction } from './prediction.js';

/** How far from 0 and 1 a probability is clipped before its logarithm is taken. */
export const LOG_LOSS_EPSILON = 1e-15;

/**
 * Log loss (cross-entropy, natural log): the mean of
 * `−(outcome · ln p + (1 − outcome) · ln(1 − p))`, with p clipped to [1e-15, 1 − 1e-15] so
 * a confident miss costs about 34.5 instead of infinity. A tie (outcome 0.5) costs
 * `−½(ln p + ln(1 − p))`, which is ln 2 at p = 0.5. Throws on an empty or malformed input.
 */
export function logLoss(predictions: readonly Prediction[]): number {
  checkPredictions('logLoss', predictions);
  let total = 0;
  for (const { probability, outcome } of predictions) {
    const p = Math.min(Math.max(probability, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    total -= outcome * Math.log(p) + (1 - outcome) * Math.log(1 - p);
  }
  return total / predictions.length;
}
