import { useState } from 'preact/hooks';
import { apiUrl, useApi, type RunSummary } from './api.js';
import { bestBaseline, duration, num, signed, when } from './format.js';
import { href, navigate, type Route } from './router.js';
import { Badge, Loaded } from './ui.js';

type SortKey = 'run_id' | 'created_at' | 'duration' | 'brier' | 'log_loss' | 'model' | 'status';

const COLUMNS: readonly { key: SortKey | null; label: string; numeric?: boolean }[] = [
  { key: null, label: '' },
  { key: 'run_id', label: 'Run', numeric: true },
  { key: 'status', label: 'Status' },
  { key: 'model', label: 'Model' },
  { key: null, label: 'Dataset' },
  { key: 'duration', label: 'Duration', numeric: true },
  { key: 'brier', label: 'Brier (vs best baseline)', numeric: true },
  { key: 'log_loss', label: 'Log loss (vs best baseline)', numeric: true },
  { key: 'created_at', label: 'Started' },
];

/** A metric with its difference to the best baseline (green when the run beats it). */
function VsBaseline(props: { readonly run: RunSummary; readonly metric: string }) {
  const value = props.run.overall[props.metric];
  const base = bestBaseline(props.run.baselines, props.metric);
  if (value === undefined) return <span class="muted">—</span>;
  return (
    <span>
      {num(value)}
      {base ? (
        <small class={value < base.value ? 'delta good' : value > base.value ? 'delta bad' : 'delta'} title={`${base.name}: ${num(base.value)}`}>
          {signed(value - base.value)} vs {base.name}
        </small>
      ) : null}
    </span>
  );
}

/** The run table: filter by text and status, sort by a column, tick two or more to compare. */
export function RunsPage(props: { readonly route: Route }) {
  const { query } = props.route;
  const filter = {
    q: query.get('q') ?? '',
    status: query.get('status') ?? '',
    sort: (query.get('sort') ?? 'run_id') as SortKey,
    order: query.get('order') === 'asc' ? 'asc' : 'desc',
  };
  const state = useApi<RunSummary[]>(apiUrl('/api/runs', filter));
  const [selected, setSelected] = useState<readonly number[]>([]);
  const update = (changes: Partial<typeof filter>) =>
    navigate(href(['runs'], { ...filter, ...changes, sort: changes.sort ?? filter.sort, order: changes.order ?? filter.order }), true);
  const toggle = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const sortBy = (key: SortKey) =>
    update({ sort: key, order: filter.sort === key && filter.order === 'desc' ? 'asc' : key === 'brier' || key === 'log_loss' ? 'asc' : 'desc' });

  return (
    <div>
      <div class="toolbar">
        <h1>Training runs</h1>
        <input
          type="search"
          placeholder="Filter by model, approach or dataset"
          value={filter.q}
          onInput={(e) => update({ q: (e.target as HTMLInputElement).value })}
          aria-label="filter runs"
        />
        <select value={filter.status} onChange={(e) => update({ status: (e.target as HTMLSelectElement).value })} aria-label="status">
          <option value="">any status</option>
          <option value="completed">completed</option>
          <option value="running">running</option>
          <option value="failed">failed</option>
        </select>
        <button
          type="button"
          class="primary"
          data-testid="compare-button"
          disabled={selected.length < 2}
          onClick={() => navigate(href(['compare'], { ids: [...selected].sort((a, b) => a - b).join(',') }))}
        >
          Compare {selected.length > 0 ? `(${selected.length})` : ''}
        </button>
      </div>
      <Loaded state={state}>
        {(runs) =>
          runs.length === 0 ? (
            <p class="muted">No training runs{filter.q || filter.status ? ' match the filter' : ' yet — run precog train'}.</p>
          ) : (
            <table class="data" data-testid="runs-table">
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th key={c.label} class={c.numeric ? 'num' : ''}>
                      {c.key ? (
                        <button type="button" class="sort" onClick={() => sortBy(c.key!)}>
                          {c.label}
                          {filter.sort === c.key ? (filter.order === 'asc' ? ' ▲' : ' ▼') : ''}
                        </button>
                      ) : (
                        c.label
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.run_id} class={selected.includes(r.run_id) ? 'selected' : ''}>
                    <td>
                      <input
                        type="checkbox"
                        checked={selected.includes(r.run_id)}
                        onChange={() => toggle(r.run_id)}
                        aria-label={`select run ${r.run_id}`}
                        data-testid={`select-run-${r.run_id}`}
                      />
                    </td>
                    <td class="num">
                      <a href={href(['runs', r.run_id])} data-testid={`run-link-${r.run_id}`}>
                        #{r.run_id}
                      </a>
                    </td>
                    <td>
                      <Badge value={r.status} />
                    </td>
                    <td>
                      {r.model.ref} <small class="muted">{r.model.approach}</small>
                    </td>
                    <td>{r.dataset ? <a href={href(['datasets', r.dataset.ref])}>{r.dataset.ref}</a> : <span class="muted">—</span>}</td>
                    <td class="num">{duration(r.duration_seconds)}</td>
                    <td class="num">
                      <VsBaseline run={r} metric="brier" />
                    </td>
                    <td class="num">
                      <VsBaseline run={r} metric="log_loss" />
                    </td>
                    <td>{when(r.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <p class="hint">Tick two or more runs to compare their hyperparameters and metrics side by side.</p>
    </div>
  );
}
