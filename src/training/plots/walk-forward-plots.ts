import type { WalkForwardResult } from '../evaluation/walk-forward.js';
import { calibrationPlotSvg, type CalibrationPlotOptions } from './calibration-plot.js';
import { seasonChartSvg, type SeasonChartOptions } from './season-chart.js';

/**
 * The reliability diagram of a walk-forward result: every series (model first, then the
 * baselines) over the pooled compared rows. Null when no row was compared.
 */
export function walkForwardCalibrationSvg(result: WalkForwardResult, options: CalibrationPlotOptions = {}): string | null {
  const metrics = result.overall.metrics;
  if (metrics === null) return null;
  const series = Object.entries(metrics).map(([name, m]) => ({ name, bins: m.calibration }));
  return calibrationPlotSvg(series, { title: 'Calibration (walk-forward, out of sample)', ...options });
}

/**
 * The Brier score per test season of a walk-forward result, each series (model first,
 * then the baselines) a line; a fold with no compared row is a gap.
 */
export function walkForwardBrierSvg(result: WalkForwardResult, options: SeasonChartOptions = {}): string {
  const seasons = result.folds.map((f) => f.testSeason);
  const names = Object.keys(result.predictions.series);
  const series = names.map((name) => ({ name, values: result.folds.map((f) => f.metrics?.[name]?.brier ?? null) }));
  return seasonChartSvg(seasons, series, { title: 'Brier score by test season', yLabel: 'Brier score', ...options });
}
