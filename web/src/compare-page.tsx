import { useState } from 'preact/hooks';
import { apiUrl, useApi, type ComparisonRow, type RunComparison } from './api.js';
import { CategoryLineChart, PALETTE, type LineSeries } from './charts.js';
import { duration, metric, scalar } from './format.js';
import { href } from './router.js';
import { Badge, Loaded, Section } from './ui.js';

function RowsTable(props: {
  readonly rows: readonly ComparisonRow[];
  readonly runs: RunComparison['runs'];
  readonly onlyDiffs: boolean;
  readonly testId: string;
  /** Metrics get a fixed number of decimals; hyperparameters are shown as logged. */
  readonly numbers: 'metric' | 'raw';
}) {
  const rows = props.onlyDiffs ? props.rows.filter((r) => r.differs) : props.rows;
  if (rows.length === 0) return <p class="muted">{props.onlyDiffs ? 'No differences.' : 'Nothing logged.'}</p>;
  return (
    <table class="data compact" data-testid={props.testId}>
      <thead>
        <tr>
          <th />
          {props.runs.map((r, i) => (
            <th key={r.run_id} class="num">
              <i class="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />
              <a href={href(['runs', r.run_id])}>#{r.run_id}</a>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} class={row.differs ? 'differs' : ''}>
            <td class="mono">{row.key}</td>
            {row.values.map((v, i) => (
              <td key={i} class={`num mono${row.best === i ? ' best' : ''}`}>
                {typeof v === 'number' && props.numbers === 'metric' ? metric(v) : scalar(v)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Two or more runs side by side: per-season Brier overlaid, hyperparameters and metrics aligned. */
export function ComparePage(props: { readonly ids: string }) {
  const state = useApi<RunComparison>(apiUrl('/api/runs/compare', { ids: props.ids }));
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  return (
    <Loaded state={state}>
      {(cmp) => {
        const seasons = [...new Set(cmp.runs.flatMap((r) => r.metrics.per_season.map((s) => s.season)))].sort((a, b) =>
          a.localeCompare(b, 'en', { numeric: true }),
        );
        const series: LineSeries[] = cmp.runs.map((r, i) => ({
          name: `#${r.run_id} ${r.model.ref}`,
          color: PALETTE[i % PALETTE.length]!,
          values: seasons.map((s) => r.metrics.per_season.find((p) => p.season === s)?.metrics['brier'] ?? null),
        }));
        return (
          <div data-testid="compare-page">
            <div class="toolbar">
              <h1>Comparing {cmp.runs.length} runs</h1>
              <label class="check">
                <input type="checkbox" checked={onlyDiffs} onChange={() => setOnlyDiffs(!onlyDiffs)} /> only rows that differ
              </label>
            </div>
            <div class="run-chips">
              {cmp.runs.map((r, i) => (
                <a key={r.run_id} class="chip" href={href(['runs', r.run_id])}>
                  <i class="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />#{r.run_id} {r.model.ref}
                  <Badge value={r.status} />
                  <small class="muted">
                    {r.dataset?.ref ?? 'no dataset'} · {duration(r.duration_seconds)}
                  </small>
                </a>
              ))}
            </div>
            {seasons.length ? (
              <Section title="Brier score per season">
                <CategoryLineChart categories={seasons} series={series} yLabel="Brier score (lower is better)" testId="compare-season-chart" width={1000} />
              </Section>
            ) : null}
            <div class="two-col">
              <Section title="Hyperparameters">
                <RowsTable rows={cmp.hyperparameters} runs={cmp.runs} onlyDiffs={onlyDiffs} testId="compare-hyperparameters" numbers="raw" />
              </Section>
              <Section title="Metrics">
                <RowsTable rows={cmp.metrics} runs={cmp.runs} onlyDiffs={onlyDiffs} testId="compare-metrics" numbers="metric" />
              </Section>
            </div>
          </div>
        );
      }}
    </Loaded>
  );
}
