import { accuracy } from '../metrics/accuracy.js';
import { brier } from '../metrics/brier.js';
import { calibrationBins, DEFAULT_CALIBRATION_BINS, expectedCalibrationError, type CalibrationBin } from '../metrics/calibration.js';
import { seasonPoints538 } from '../metrics/game-points-538.js';
import { logLoss } from '../metrics/log-loss.js';
import type { Prediction } from '../metrics/prediction.js';

/** One scored forecast with what 538's game points need besides probability and outcome. */
export interface ScoredForecast extends Prediction {
  readonly season: number;
  readonly playoff: boolean;
}

/** 538 game points of a set of forecasts. */
export interface GamePointsSummary {
  /** Sum of every season's points. */
  readonly total: number;
  /** Mean of the season totals, over seasons with a decided game (538's `eval.py`). */
  readonly perSeason: number;
}

/** The metrics of one series (the model, or one baseline) over one set of rows. */
export interface SeriesMetrics {
  /** Rows scored. */
  readonly n: number;
  readonly brier: number;
  readonly logLoss: number;
  /** Over decided games only; null when every row is a tie. */
  readonly accuracy: number | null;
  /** Expected calibration error over 10 equal-width bins. */
  readonly ece: number;
  /** Null when every row is a tie. */
  readonly gamePoints538: GamePointsSummary | null;
}

/** {@link SeriesMetrics} plus the calibration table behind the ECE, for plots. */
export interface SeriesMetricsWithCalibration extends SeriesMetrics {
  readonly calibration: readonly CalibrationBin[];
}

/**
 * Scores `forecasts` with the shared metrics (`src/training/metrics`): Brier, log loss,
 * accuracy, ECE (10 bins) and 538 game points. Throws their errors on an empty or
 * malformed input.
 */
export function seriesMetrics(forecasts: readonly ScoredForecast[]): SeriesMetrics {
  const decided = forecasts.some((f) => f.outcome !== 0.5);
  const points = decided ? seasonPoints538(forecasts) : null;
  let total = 0;
  for (const season of points?.bySeason.values() ?? []) total += season;
  return Object.freeze({
    n: forecasts.length,
    brier: brier(forecasts),
    logLoss: logLoss(forecasts),
    accuracy: decided ? accuracy(forecasts) : null,
    ece: expectedCalibrationError(forecasts, DEFAULT_CALIBRATION_BINS),
    gamePoints538: points === null ? null : Object.freeze({ total: Math.round(total * 10) / 10, perSeason: points.average }),
  });
}

/** {@link seriesMetrics} plus the 10-bin calibration table. */
export function seriesMetricsWithCalibration(forecasts: readonly ScoredForecast[]): SeriesMetricsWithCalibration {
  return Object.freeze({
    ...seriesMetrics(forecasts),
    calibration: calibrationBins(forecasts, DEFAULT_CALIBRATION_BINS),
  });
}

