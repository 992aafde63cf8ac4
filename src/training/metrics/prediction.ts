import { EmptySampleError, InvalidPredictionError } from './errors.js';

/** The outcomes a binary forecast is scored against: loss, tie, win. */
export const OUTCOMES = [0, 0.5, 1] as const;

/** 0 = the predicted side lost, 0.5 = tie, 1 = it won. */
export type Outcome = (typeof OUTCOMES)[number];

/** One forecast and what happened: `probability` that the outcome is 1. */
export interface Prediction {
  readonly probability: number;
  readonly outcome: Outcome;
}

/** True when `value` is one of {@link OUTCOMES}. */
export function isOutcome(value: unknown): value is Outcome {
  return OUTCOMES.some((o) => o === value);
}

/**
 * Checks every prediction (probability a finite number in [0, 1], outcome one of
 * {@link OUTCOMES}) and that there is at least one. Throws {@link InvalidPredictionError}
 * naming the first bad index, or {@link EmptySampleError} for an empty input.
 */
export function checkPredictions(metric: string, predictions: readonly Prediction[]): void {
  if (predictions.length === 0) throw new EmptySampleError(metric);
  predictions.forEach((p, index) => {
    if (!(Number.isFinite(p.probability) && p.probability >= 0 && p.probability <= 1)) {
      throw new InvalidPredictionError(index, 'probability', p.probability, 'must be a number in [0, 1]');
    }
    if (!isOutcome(p.outcome)) {
      throw new InvalidPredictionError(index, 'outcome', p.outcome, 'must be 0, 0.5 or 1');
    }
  });
}
