import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../../src/ui/api-types.js';

export type * from '../../src/ui/api-types.js';

/** The state of one API request. */
export type ApiState<T> =
  | { readonly status: 'loading'; readonly stale?: T }
  | { readonly status: 'error'; readonly error: string; readonly httpStatus: number }
  | { readonly status: 'ok'; readonly data: T };

/** GETs `url` (JSON), throwing the server's `{ error }` message on a non-2xx answer. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal: signal ?? null, headers: { accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as ApiError | null)?.error ?? `${response.status} ${response.statusText}`;
    throw Object.assign(new Error(message), { httpStatus: response.status });
  }
  return body as T;
}

/** Fetches `url` whenever it changes (null: nothing to fetch) and cancels a superseded request. */
export function useApi<T>(url: string | null): ApiState<T> {
  const [state, setState] = useState<ApiState<T>>({ status: 'loading' });
  useEffect(() => {
    if (url === null) return undefined;
    const controller = new AbortController();
    // Keep showing the previous answer while the next loads (filters, sorting): no flicker.
    setState((previous) => ({ status: 'loading', stale: previous.status === 'ok' ? previous.data : previous.status === 'loading' ? previous.stale : undefined }));
    getJson<T>(url, controller.signal).then(
      (data) => setState({ status: 'ok', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const e = error as Error & { httpStatus?: number };
        setState({ status: 'error', error: e.message, httpStatus: e.httpStatus ?? 0 });
      },
    );
    return () => controller.abort();
  }, [url]);
  return state;
}

/** `path?k=v&…`, leaving out empty values. */
export function apiUrl(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
