import { apiUrl, useApi, type MetricSet, type RunDetail, type RunMetricsView } from './api.js';
import { CalibrationPlot, CategoryLineChart, type LineSeries } from './charts.js';
import { duration, flatten, metric, metricDirection, scalar, when } from './format.js';
import { href } from './router.js';
import { Badge, Facts, Json, Loaded, Section } from './ui.js';

/** Per-season Brier lines: the run, then each baseline that logged per-season values. */
export function seasonSeries(metrics: RunMetricsView, name: string, metric = 'brier'): { categories: string[]; series: LineSeries[] } {
  const categories = metrics.per_season.map((s) => s.season);
  const series: LineSeries[] = [{ name, values: metrics.per_season.map((s) => s.metrics[metric] ?? null) }];
  const baselineNames = [...new Set(metrics.per_season.flatMap((s) => Object.keys(s.baselines)))];
  for (const b of baselineNames) {
    series.push({ name: b, dashed: true, values: metrics.per_season.map((s) => s.baselines[b]?.[metric] ?? null) });
  }
  return { categories, series: series.filter((s) => s.values.some((v) => v !== null)) };
}

/** Metric rows (union of names) × columns (the run, then each baseline); the best of a row in bold. */
function MetricsTable(props: { readonly columns: readonly [string, MetricSet][] }) {
  const names = [...new Set(props.columns.flatMap(([, set]) => Object.keys(set)))];
  if (names.length === 0) return <p class="muted">No metrics were logged.</p>;
  return (
    <table class="data compact" data-testid="metrics-table">
      <thead>
        <tr>
          <th>metric</th>
          {props.columns.map(([label]) => (
            <th key={label} class="num">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const values = props.columns.map(([, set]) => set[name]);
          const present = values.filter((v): v is number => v !== undefined);
          const direction = metricDirection(name);
          const best = direction && present.length > 1 ? (direction === 'lower' ? Math.min(...present) : Math.max(...present)) : undefined;
          return (
            <tr key={name}>
              <td>{name}</td>
              {values.map((v, i) => (
                <td key={i} class={`num${v !== undefined && v === best ? ' best' : ''}`}>
                  {metric(v)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** One run: facts, metrics against baselines, per-season Brier, calibration, hyperparameters. */
export function RunPage(props: { readonly id: string }) {
  const state = useApi<RunDetail>(apiUrl(`/api/runs/${encodeURIComponent(props.id)}`));
  return (
    <Loaded state={state}>
      {(run) => {
        const { categories, series } = seasonSeries(run.metrics, `run #${run.run_id}`);
        return (
          <div>
            <div class="toolbar">
              <h1>
                Run #{run.run_id} <span class="muted">· {run.model.ref}</span>
              </h1>
              <Badge value={run.status} />
            </div>
            {run.error_message ? (
              <div class="error" role="alert">
                <strong>Failed:</strong> {run.error_message}
              </div>
            ) : null}
            <Section title="Summary">
              <Facts
                items={[
                  ['model', `${run.model.ref} (${run.model.approach})`],
                  ['dataset', run.dataset ? <a href={href(['datasets', run.dataset.ref])}>{run.dataset.ref}</a> : null],
                  ['duration', duration(run.duration_seconds)],
                  ['backend', run.backend],
                  ['started', when(run.created_at)],
                  ['completed', when(run.completed_at)],
                ]}
              />
            </Section>
            <Section title="Metrics vs baselines">
              <MetricsTable columns={[[`run #${run.run_id}`, run.metrics.overall], ...Object.entries(run.metrics.baselines)]} />
            </Section>
            <div class="two-col">
              <Section title="Brier score per season" id="per-season">
                {categories.length ? (
                  <CategoryLineChart categories={categories} series={series} yLabel="Brier score (lower is better)" testId="season-chart" />
                ) : (
                  <p class="muted">No per-season metrics were logged for this run.</p>
                )}
              </Section>
              <Section title="Calibration" id="calibration">
                {run.metrics.calibration.length ? (
                  <CalibrationPlot bins={run.metrics.calibration} />
                ) : (
                  <p class="muted">No calibration bins were logged for this run.</p>
                )}
              </Section>
            </div>
            <Section title="Hyperparameters">
              <table class="data compact kv">
                <tbody>
                  {flatten(run.hyperparameters).map(([k, v]) => (
                    <tr key={k}>
                      <td>{k}</td>
                      <td class="mono">{scalar(v)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
            {run.artifacts ? (
              <Section title="Artifacts">
                <Json value={run.artifacts} />
              </Section>
            ) : null}
          </div>
        );
      }}
    </Loaded>
  );
}
