import { apiUrl, useApi, type EdgesResponse } from './api.js';
import { when } from './format.js';
import { href, navigate, type Route } from './router.js';
import { Badge, Facts, Loaded } from './ui.js';

/** "0.6500" → "0.650"; decimals stay text (no float arithmetic on prices). */
function dec(text: string, places = 3): string {
  const [whole, frac = ''] = text.split('.');
  return `${whole}.${frac.padEnd(places, '0').slice(0, places)}`;
}

/** The latest edge-detection run (or the one chosen): market, model probability, price, edge. */
export function EdgesPage(props: { readonly route: Route }) {
  const run = props.route.query.get('run');
  const state = useApi<EdgesResponse>(apiUrl('/api/edges', { run }));
  return (
    <Loaded state={state}>
      {(res) => (
        <div data-testid="edges-page">
          <div class="toolbar">
            <h1>Edges</h1>
            {res.runs.length > 1 ? (
              <select
                aria-label="detection run"
                value={res.run?.calculation_run_id ?? ''}
                onChange={(e) => navigate(href(['edges'], { run: (e.target as HTMLSelectElement).value }), true)}
              >
                {res.runs.map((r, i) => (
                  <option key={r.calculation_run_id} value={r.calculation_run_id}>
                    {when(r.detected_at)} · {r.edge_count} edges{i === 0 ? ' (latest)' : ''}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
          {!res.run ? (
            <p class="muted">No edges have been detected yet — precog edges detect --run &lt;id&gt;.</p>
          ) : (
            <div>
              <Facts
                items={[
                  ['detection run', <span class="mono">{res.run.calculation_run_id}</span>],
                  ['detected', when(res.run.detected_at)],
                  ['edges', String(res.run.edge_count)],
                  ['models', res.run.models.join(', ')],
                ]}
              />
              <table class="data" data-testid="edges-table">
                <thead>
                  <tr>
                    <th>Market</th>
                    <th>Side</th>
                    <th>Model</th>
                    <th class="num">Model p</th>
                    <th class="num">Price</th>
                    <th class="num">Implied p</th>
                    <th class="num">Edge</th>
                    <th class="num">EV</th>
                    <th>Confidence</th>
                    <th>Action</th>
                  </tr>
                </thead>
                <tbody>
                  {res.edges.map((e) => (
                    <tr key={`${e.edge_id}`} class={e.current ? '' : 'stale'} title={e.current ? '' : 'superseded or closed since'}>
                      <td>
                        <strong>{e.ticker ?? e.market_id}</strong> <small class="muted">{e.title}</small>
                      </td>
                      <td>{e.side}</td>
                      <td>
                        {e.model}
                        {e.training_run_id !== null ? (
                          <>
                            {' '}
                            <a href={href(['runs', e.training_run_id])}>#{e.training_run_id}</a>
                          </>
                        ) : null}
                      </td>
                      <td class="num">{dec(e.true_win_probability)}</td>
                      <td class="num">{dec(e.market_price)}</td>
                      <td class="num">{dec(e.market_implied_probability)}</td>
                      <td class={`num ${e.edge.startsWith('-') ? 'bad' : 'good'}`}>
                        {e.edge.startsWith('-') ? '' : '+'}
                        {dec(e.edge)}
                      </td>
                      <td class="num">{dec(e.expected_value)}</td>
                      <td>{e.confidence_level ?? '—'}</td>
                      <td>{e.recommended_action ? <Badge value={e.recommended_action} tone={e.recommended_action === 'ignore' ? 'neutral' : 'good'} /> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </Loaded>
  );
}
