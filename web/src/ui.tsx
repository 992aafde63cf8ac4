import type { ComponentChildren } from 'preact';
import type { ApiState } from './api.js';

/** Renders `children(data)` once `state` is loaded; a spinner line or the error before that. */
export function Loaded<T>(props: { readonly state: ApiState<T>; readonly children: (data: T) => ComponentChildren }) {
  const { state } = props;
  if (state.status === 'loading') {
    if (state.stale === undefined) return <p class="muted" aria-busy="true">Loading…</p>;
    return (
      <div class="reloading" aria-busy="true">
        {props.children(state.stale)}
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div class="error" role="alert" data-testid="error">
        <strong>{state.httpStatus === 404 ? 'Not found' : 'Error'}:</strong> {state.error}
      </div>
    );
  }
  return <>{props.children(state.data)}</>;
}

/** A run or audit status as a coloured pill. */
export function Badge(props: { readonly value: string; readonly tone?: 'good' | 'bad' | 'warn' | 'neutral' }) {
  const tone =
    props.tone ??
    ({ completed: 'good', active: 'good', failed: 'bad', running: 'warn', deprecated: 'neutral' } as Record<string, string>)[props.value] ??
    'neutral';
  return <span class={`badge ${tone}`}>{props.value}</span>;
}

/** Label/value pairs in a compact grid. */
export function Facts(props: { readonly items: readonly [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {props.items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Pretty-printed JSON in a scrollable block. */
export function Json(props: { readonly value: unknown }) {
  return <pre class="json">{JSON.stringify(props.value, null, 2)}</pre>;
}

/** A section with a heading. */
export function Section(props: { readonly title: string; readonly id?: string; readonly children: ComponentChildren }) {
  return (
    <section class="card" id={props.id}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}
