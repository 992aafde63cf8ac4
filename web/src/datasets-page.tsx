import { useApi, type DatasetDetail, type DatasetListItem } from './api.js';
import { count, lead, percent, when } from './format.js';
import { href } from './router.js';
import { Badge, Facts, Json, Loaded, Section } from './ui.js';

/** Every registered dataset, newest first. */
export function DatasetsPage() {
  const state = useApi<DatasetListItem[]>('/api/datasets');
  return (
    <div>
      <div class="toolbar">
        <h1>Datasets</h1>
      </div>
      <Loaded state={state}>
        {(datasets) =>
          datasets.length === 0 ? (
            <p class="muted">No datasets are registered yet — precog dataset build.</p>
          ) : (
            <table class="data" data-testid="datasets-table">
              <thead>
                <tr>
                  <th>Dataset</th>
                  <th>Sport</th>
                  <th>Dates</th>
                  <th class="num">Rows</th>
                  <th class="num">Features</th>
                  <th>Target</th>
                  <th>sha256</th>
                  <th>Built</th>
                </tr>
              </thead>
              <tbody>
                {datasets.map((d) => (
                  <tr key={d.ref}>
                    <td>
                      <a href={href(['datasets', d.ref])}>
                        {d.name}
                        <span class="muted">@{d.version}</span>
                      </a>
                    </td>
                    <td>{d.sport ?? '—'}</td>
                    <td>{d.start_date ? `${d.start_date} → ${d.end_date ?? ''}` : '—'}</td>
                    <td class="num">{count(d.row_count)}</td>
                    <td class="num">{d.feature_count}</td>
                    <td>{d.target_variable}</td>
                    <td class="mono" title={d.sha256 ?? ''}>
                      {d.sha256?.slice(0, 12) ?? '—'}
                    </td>
                    <td>{when(d.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </div>
  );
}

/** One dataset: file and checksum, features, leakage audit with null fractions, spec, runs. */
export function DatasetPage(props: { readonly refText: string }) {
  const state = useApi<DatasetDetail>(`/api/datasets/${encodeURIComponent(props.refText)}`);
  return (
    <Loaded state={state}>
      {(d) => (
        <div data-testid="dataset-page">
          <div class="toolbar">
            <h1>
              {d.name}
              <span class="muted">@{d.version}</span>
            </h1>
            <Badge value={d.audit.passed ? 'audit passed' : 'audit failed'} tone={d.audit.passed ? 'good' : 'bad'} />
          </div>
          <Section title="Summary">
            <Facts
              items={[
                ['rows', count(d.row_count)],
                ['target', d.target_variable],
                ['sport', d.sport],
                ['dates', d.start_date ? `${d.start_date} → ${d.end_date ?? ''}` : null],
                ['knowledge cutoff', when(d.knowledge_cutoff)],
                ['file', d.file_path ? <span class="mono">{d.file_path}</span> : null],
                ['size', d.bytes === null ? null : `${count(d.bytes)} bytes`],
                ['sha256', d.sha256 ? <span class="mono wrap">{d.sha256}</span> : null],
              ]}
            />
          </Section>
          <div class="two-col">
            <Section title="Features">
              <ul class="plain">
                {d.features.map((f) => (
                  <li key={f.feature_id}>
                    {f.ref ? <a href={href(['features', f.ref])}>{f.ref}</a> : `feature ${f.feature_id}`}{' '}
                    <small class="muted">{f.entity_type}</small>
                  </li>
                ))}
              </ul>
            </Section>
            <Section title="Runs on this dataset">
              {d.runs.length === 0 ? (
                <p class="muted">None yet.</p>
              ) : (
                <ul class="plain">
                  {d.runs.map((r) => (
                    <li key={r.run_id}>
                      <a href={href(['runs', r.run_id])}>#{r.run_id}</a> {r.model} <Badge value={r.status} />
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          </div>
          <Section title="Leakage audit">
            {d.audit.problems.length ? (
              <ul class="problems">
                {d.audit.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : (
              <p>Every value was timestamped (and, in known-at mode, known) at or before its label time.</p>
            )}
            <table class="data compact" data-testid="audit-table">
              <thead>
                <tr>
                  <th>column</th>
                  <th class="num">nulls</th>
                  <th>null fraction</th>
                  <th class="num">max lead</th>
                  <th class="num">max knowledge lead</th>
                  <th class="num">staleness median / p95 / max</th>
                </tr>
              </thead>
              <tbody>
                {d.audit.columns.map((c) => (
                  <tr key={c.column}>
                    <td class="mono">{c.column}</td>
                    <td class="num">
                      {count(c.nulls)} / {count(c.rows)}
                    </td>
                    <td>
                      <span class="bar-cell">
                        <span class="bar-fill" style={{ width: `${Math.min(100, c.null_fraction * 100)}%` }} />
                      </span>{' '}
                      {percent(c.null_fraction)}
                    </td>
                    <td class={`num${c.max_lead_ms !== null && c.max_lead_ms > 0 ? ' bad' : ''}`}>{lead(c.max_lead_ms)}</td>
                    <td class="num">{lead(c.max_knowledge_lead_ms)}</td>
                    <td class="num">
                      {[c.staleness_hours.median, c.staleness_hours.p95, c.staleness_hours.max].map((h) => (h === null ? '—' : `${h} h`)).join(' / ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          <Section title="Spec">
            <Json value={d.spec} />
          </Section>
        </div>
      )}
    </Loaded>
  );
}
