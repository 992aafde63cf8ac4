import type { ComparisonRow, ComparisonValue, RunComparison, RunDetail } from './api-types.js';
import { metricDirection } from './metric-direction.js';
import { flattenRunMetrics } from './run-metrics.js';

/**
 * A JSON value as `path → scalar` rows: nested objects become dotted paths
 * (`optimizer.learning_rate`), arrays and other values are kept whole (arrays as JSON text).
 */
export function flattenJson(value: unknown, prefix = ''): Map<string, ComparisonValue> {
  const out = new Map<string, ComparisonValue>();
  const visit = (v: unknown, path: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v);
      if (entries.length === 0 && path) out.set(path, '{}');
      for (const [k, child] of entries) visit(child, path ? `${path}.${k}` : k);
    } else if (Array.isArray(v)) {
      out.set(path, JSON.stringify(v));
    } else if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out.set(path, v);
    }
  };
  visit(value, prefix);
  return out;
}

function rows(
  perRun: readonly Map<string, ComparisonValue>[],
  bestOf: (key: string) => 'lower' | 'higher' | undefined,
): ComparisonRow[] {
  const keys = [...new Set(perRun.flatMap((m) => [...m.keys()]))];
  return keys.map((key) => {
    const values = perRun.map((m) => (m.has(key) ? m.get(key)! : null));
    const distinct = new Set(values.map((v) => JSON.stringify(v)));
    const direction = bestOf(key);
    let best: number | null = null;
    const numbers = values.filter((v) => typeof v === 'number');
    if (direction && distinct.size > 1 && numbers.length > 1) {
      values.forEach((v, i) => {
        if (typeof v !== 'number') return;
        const current = best === null ? undefined : values[best];
        if (typeof current !== 'number' || (direction === 'lower' ? v < current : v > current)) best = i;
      });
    }
    return { key, values, differs: distinct.size > 1, best };
  });
}

/**
 * Lines up several runs: one row per hyperparameter path and per metric path (see
 * {@link flattenRunMetrics}), a value per run (null where a run lacks it), `differs` when
 * the runs disagree, and `best` marking the winning run of a metric with a known direction
 * (only when at least two runs have a value).
 * Hyperparameter rows keep first-seen order; metric rows put `overall` first.
 */
export function compareRuns(runs: readonly RunDetail[]): RunComparison {
  const hyperparameters = rows(
    runs.map((r) => flattenJson(r.hyperparameters)),
    () => undefined,
  );
  const group = (key: string) => ['overall.', 'baselines.', 'per_season.'].findIndex((g) => key.startsWith(g));
  const metrics = rows(
    runs.map((r) => new Map<string, ComparisonValue>(flattenRunMetrics(r.metrics))),
    metricDirection,
  ).sort((a, b) => group(a.key) - group(b.key));
  return { runs, hyperparameters, metrics };
}
