import { apiUrl, useApi, type FeatureDetail, type FeatureListItem, type FeatureValuesResponse } from './api.js';
import { Sparkline } from './charts.js';
import { count, when } from './format.js';
import { href, navigate } from './router.js';
import { Badge, Facts, Json, Loaded, Section } from './ui.js';

/** The feature registry: every version with entity type, sources, value count and time range. */
export function FeaturesPage() {
  const state = useApi<FeatureListItem[]>('/api/features');
  return (
    <div>
      <div class="toolbar">
        <h1>Features</h1>
      </div>
      <Loaded state={state}>
        {(features) =>
          features.length === 0 ? (
            <p class="muted">No features are registered yet — precog features register.</p>
          ) : (
            <table class="data" data-testid="features-table">
              <thead>
                <tr>
                  <th>Feature</th>
                  <th>Entity</th>
                  <th>Sport</th>
                  <th>Category</th>
                  <th>Source</th>
                  <th class="num">Values</th>
                  <th class="num">Entities</th>
                  <th>From</th>
                  <th>To</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {features.map((f) => (
                  <tr key={f.ref}>
                    <td>
                      <a href={href(['features', f.ref])} data-testid={`feature-link-${f.ref}`} title={f.description}>
                        {f.name}
                        <span class="muted">@{f.version}</span>
                      </a>
                    </td>
                    <td>{f.entity_type}</td>
                    <td>{f.sport ?? '—'}</td>
                    <td>{f.category}</td>
                    <td>{f.sources.join(', ') || '—'}</td>
                    <td class="num">{count(f.value_count)}</td>
                    <td class="num">{count(f.entity_count)}</td>
                    <td>{when(f.first_timestamp, true)}</td>
                    <td>{when(f.last_timestamp, true)}</td>
                    <td>
                      <Badge value={f.status} />
                    </td>
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

function EntityValues(props: { readonly feature: FeatureDetail; readonly entity: string }) {
  const state = useApi<FeatureValuesResponse>(
    apiUrl(`/api/features/${encodeURIComponent(props.feature.ref)}/values`, { entity: props.entity }),
  );
  return (
    <Loaded state={state}>
      {(res) => {
        const last = res.points[res.points.length - 1];
        const corrected = res.points.filter((p) => p.versions > 1).length;
        return (
          <div>
            <Sparkline points={res.points.map((p) => ({ t: p.timestamp, v: p.value }))} label={`${res.ref} for ${res.entity}`} width={900} height={160} />
            <p class="muted">
              {count(res.points.length)} event times{res.truncated ? ' (the latest shown)' : ''}
              {last ? ` · latest ${last.value} at ${when(last.timestamp)}` : ''}
              {corrected ? ` · ${corrected} corrected` : ''}
            </p>
          </div>
        );
      }}
    </Loaded>
  );
}

/** One feature version: definition, sources, and the value history of one chosen entity. */
export function FeaturePage(props: { readonly refText: string; readonly entity: string | null }) {
  const state = useApi<FeatureDetail>(`/api/features/${encodeURIComponent(props.refText)}`);
  return (
    <Loaded state={state}>
      {(f) => {
        const entity = props.entity ?? f.entities[0]?.entity ?? null;
        return (
          <div data-testid="feature-page">
            <div class="toolbar">
              <h1>
                {f.name}
                <span class="muted">@{f.version}</span>
              </h1>
              <Badge value={f.status} />
            </div>
            <p>{f.description}</p>
            <Section title="Definition">
              <Facts
                items={[
                  ['entity type', f.entity_type],
                  ['sport', f.sport],
                  ['category', f.category],
                  ['data type', f.data_type],
                  ['unit', f.unit],
                  ['source', f.sources.join(', ') || null],
                  ['values', count(f.value_count)],
                  ['entities', count(f.entity_count)],
                  ['time range', f.first_timestamp ? `${when(f.first_timestamp, true)} → ${when(f.last_timestamp, true)}` : null],
                  ['registered', `${when(f.created_at)}${f.created_by ? ` by ${f.created_by}` : ''}`],
                ]}
              />
              <h3>Calculation method</h3>
              <Json value={f.calculation_method} />
            </Section>
            <Section title="Values over time">
              {f.entities.length === 0 ? (
                <p class="muted">No values have been ingested for this feature.</p>
              ) : (
                <div>
                  <label class="inline">
                    {f.entity_type}{' '}
                    <select
                      value={entity ?? ''}
                      data-testid="entity-select"
                      onChange={(e) => navigate(href(['features', f.ref], { entity: (e.target as HTMLSelectElement).value }), true)}
                    >
                      {f.entities.map((e) => (
                        <option key={e.entity} value={e.entity}>
                          {e.entity}
                          {e.label && e.label !== e.entity ? ` — ${e.label}` : ''} ({e.value_count})
                        </option>
                      ))}
                    </select>
                  </label>
                  {entity ? <EntityValues feature={f} entity={entity} /> : null}
                </div>
              )}
            </Section>
          </div>
        );
      }}
    </Loaded>
  );
}
