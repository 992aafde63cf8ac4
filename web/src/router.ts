import { useEffect, useState } from 'preact/hooks';

/** The page the location hash names: `#/runs/12?x=1` → segments ['runs', '12'], query x=1. */
export interface Route {
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

function parse(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  return { segments, query: new URLSearchParams(q < 0 ? '' : text.slice(q + 1)) };
}

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const update = () => setRoute(parse(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** A link target: `#/a/b?k=v`, path segments encoded, empty query values left out. */
export function href(segments: readonly (string | number)[], query: Record<string, string | undefined> = {}): string {
  const path = segments.map((s) => encodeURIComponent(String(s))).join('/');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const text = params.toString();
  return `#/${path}${text ? `?${text.replace(/%2C/g, ',')}` : ''}`;
}

/** Goes to `target` (a {@link href}); `replace` keeps the history entry (filters, sorting). */
export function navigate(target: string, replace = false): void {
  if (replace) history.replaceState(null, '', target);
  else location.hash = target.slice(1);
  if (replace) dispatchEvent(new HashChangeEvent('hashchange'));
}
