import { InvalidMetricOptionError } from './errors.js';
import { checkPredictions, type Prediction } from './prediction.js';

/** The number of equal-width probability bins calibration uses unless told otherwise. */
export const DEFAULT_CALIBRATION_BINS = 10;

/** One probability bin of a calibration table. */
export interface CalibrationBin {
  readonly index: number;
  /** Inclusive lower edge. */
  readonly lower: number;
  /** Exclusive upper edge, except that the last bin includes 1. */
  readonly upper: number;
  readonly count: number;
  /** Mean forecast probability in the bin; null when the bin is empty. */
  readonly meanProbability: number | null;
  /** Mean outcome in the bin (ties count ½); null when the bin is empty. */
  readonly observedRate: number | null;
}

/**
 * The calibration table: `binCount` equal-width bins over [0, 1]; a probability p falls in
 * bin `min(⌊p · binCount⌋, binCount − 1)`, so bin i is [i/B, (i+1)/B) and the last bin
 * also holds p = 1. Every bin is returned, empty ones with null means, for plotting.
 * Throws on an empty or malformed input, or a `binCount` that is not a positive integer.
 */
export function calibrationBins(
  predictions: readonly Prediction[],
  binCount: number = DEFAULT_CALIBRATION_BINS,
): readonly CalibrationBin[] {
  checkPredictions('calibrationBins', predictions);
  if (!Number.isInteger(binCount) || binCount < 1) {
    throw new InvalidMetricOptionError('binCount', binCount, 'must be a positive integer');
  }
  const counts = new Array<number>(binCount).fill(0);
  const probabilitySums = new Array<number>(binCount).fill(0);
  const outcomeSums = new Array<number>(binCount).fill(0);
  for (const { probability, outcome } of predictions) {
    const i = Math.min(Math.floor(probability * binCount), binCount - 1);
    counts[i] = (counts[i] ?? 0) + 1;
    probabilitySums[i] = (probabilitySums[i] ?? 0) + probability;
    outcomeSums[i] = (outcomeSums[i] ?? 0) + outcome;
  }
  return counts.map((count, index) => ({
    index,
    lower: index / binCount,
    upper: (index + 1) / binCount,
    count,
    meanProbability: count === 0 ? null : (probabilitySums[index] ?? 0) / count,
    observedRate: count === 0 ? null : (outcomeSums[index] ?? 0) / count,
  }));
}

/**
 * Expected calibration error: over the {@link calibrationBins} (10 by default), the
 * count-weighted mean of `|meanProbability − observedRate|`; empty bins weigh nothing.
 * In [0, 1]; 0 when every bin's forecasts match its outcome rate. Ties count as ½.
 */
export function expectedCalibrationError(
  predictions: readonly Prediction[],
  binCount: number = DEFAULT_CALIBRATION_BINS,
): number {
  const bins = calibrationBins(predictions, binCount);
  let total = 0;
  for (const bin of bins) {
    if (bin.meanProbability === null || bin.observedRate === null) continue;
    total += bin.count * Math.abs(bin.meanProbability - bin.observedRate);
  }
  return total / predictions.length;
}
