import { z } from 'zod';
import type { CalibrationBinView, MetricSet, RunMetricsView, SeasonMetrics } from './api-types.js';

const AnyRecord = z.record(z.string(), z.unknown());
const Finite = z.number().finite();
const Probability = Finite.nullable().optional();

// Bins as src/training/metrics/calibration.ts writes them; snake_case spellings accepted too.
const CalibrationBinSchema = z
  .object({
    lower: Finite,
    upper: Finite,
    count: Finite.int().nonnegative(),
    meanProbability: Probability,
    mean_probability: Probability,
    observedRate: Probability,
    observed_rate: Probability,
  })
  .transform(
    (b): CalibrationBinView => ({
      lower: b.lower,
      upper: b.upper,
      count: b.count,
      meanProbability: b.meanProbability ?? b.mean_probability ?? null,
      observedRate: b.observedRate ?? b.observed_rate ?? null,
    }),
  );

function record(value: unknown): Record<string, unknown> | undefined {
  const parsed = AnyRecord.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The finite numeric entries of an object; anything else (text, nested objects) is left out. */
export function metricSet(value: unknown, skip: readonly string[] = []): MetricSet {
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(record(value) ?? {})) {
    if (!skip.includes(key) && Finite.safeParse(v).success) out[key] = v as number;
  }
  return out;
}

function metricSets(value: unknown): Record<string, MetricSet> {
  const out: Record<string, MetricSet> = {};
  for (const [name, v] of Object.entries(record(value) ?? {})) {
    const set = metricSet(v);
    if (Object.keys(set).length > 0) out[name] = set;
  }
  return out;
}

function seasonOf(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' && value ? value : undefined;
}

// `per_season` is an array of `{ season, brier, …, baselines? }`; an object keyed by season
// is read too, so a run logged in either shape shows its chart.
function perSeason(value: unknown): SeasonMetrics[] {
  const entries: [unknown, unknown][] = Array.isArray(value)
    ? value.map((item) => [record(item)?.['season'], item])
    : Object.entries(record(value) ?? {});
  const out: SeasonMetrics[] = [];
  for (const [seasonValue, item] of entries) {
    const season = seasonOf(seasonValue);
    if (season === undefined) continue;
    const metrics = metricSet(item, ['season']);
    const baselines = metricSets(record(item)?.['baselines']);
    if (Object.keys(metrics).length > 0 || Object.keys(baselines).length > 0) out.push({ season, metrics, baselines });
  }
  return out.sort((a, b) => a.season.localeCompare(b.season, 'en', { numeric: true }));
}

function calibration(value: unknown): CalibrationBinView[] {
  if (!Array.isArray(value)) return [];
  const bins: CalibrationBinView[] = [];
  for (const item of value) {
    const bin = CalibrationBinSchema.safeParse(item);
    if (bin.success) bins.push(bin.data);
  }
  return bins.sort((a, b) => a.lower - b.lower);
}

/**
 * Reads a run's `metrics` JSON into the shape the UI draws: `overall` and each baseline as
 * name → number, `per_season` sorted by season, `calibration` bins sorted by their lower
 * edge. Never throws: a missing or malformed part comes back empty (a running or failed
 * run has no metrics at all), and entries that are not finite numbers are dropped.
 */
export function readRunMetrics(metrics: unknown): RunMetricsView {
  const root = record(metrics) ?? {};
  return {
    overall: metricSet(root['overall']),
    per_season: perSeason(root['per_season']),
    baselines: metricSets(root['baselines']),
    calibration: calibration(root['calibration']),
  };
}

/**
 * A run's metrics as flat `path → number` rows for side-by-side comparison:
 * `overall.brier`, `baselines.<name>.brier`, `per_season.<season>.brier`.
 */
export function flattenRunMetrics(view: RunMetricsView): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(view.overall)) out.set(`overall.${k}`, v);
  for (const [name, set] of Object.entries(view.baselines)) {
    for (const [k, v] of Object.entries(set)) out.set(`baselines.${name}.${k}`, v);
  }
  for (const season of view.per_season) {
    for (const [k, v] of Object.entries(season.metrics)) out.set(`per_season.${season.season}.${k}`, v);
  }
  return out;
}
