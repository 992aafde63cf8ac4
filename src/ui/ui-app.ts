import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { DatasetNotFoundError, InvalidDatasetSpecError } from '../datasets/errors.js';
import { FeatureNotFoundError, InvalidFeatureRefError } from '../features/errors.js';
import type { ApiError } from './api-types.js';
import { datasetsRoutes } from './datasets-routes.js';
import { edgesRoutes } from './edges-routes.js';
import { UiBadRequestError, UiNotFoundError } from './errors.js';
import { featuresRoutes } from './features-routes.js';
import { runsRoutes } from './runs-routes.js';
import { DEFAULT_WEB_ROOT, staticRoutes } from './static-routes.js';

/** How the UI app is put together. */
export interface UiAppOptions {
  /** The built page (default {@link DEFAULT_WEB_ROOT}). */
  readonly webRoot?: string;
  /**
   * Host names the app answers to (the Host header, port ignored); others get 403. This
   * stops a web page on another site from reading the API through DNS rebinding. Default:
   * only loopback names (`localhost`, `127.0.0.1`, `[::1]`). Empty: any host.
   */
  readonly allowedHosts?: readonly string[];
  /** Called with every unexpected error (a 500), e.g. to print it; the client sees only "internal error". */
  readonly onError?: (error: unknown) => void;
}

/** The host names a loopback-bound UI answers to. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The HTTP status and client message of an error, or undefined for an unexpected one. */
function classify(error: unknown): { status: 400 | 403 | 404; message: string } | undefined {
  if (error instanceof UiNotFoundError || error instanceof FeatureNotFoundError || error instanceof DatasetNotFoundError) {
    return { status: 404, message: error.message };
  }
  if (error instanceof UiBadRequestError || error instanceof InvalidFeatureRefError || error instanceof InvalidDatasetSpecError) {
    return { status: 400, message: error.message };
  }
  if (error instanceof HTTPException && (error.status === 400 || error.status === 403 || error.status === 404)) {
    return { status: error.status, message: error.message || 'bad request' };
  }
  return undefined;
}

function hostName(header: string | undefined): string {
  if (!header) return '';
  // "[::1]:4600" → "[::1]"; "localhost:4600" → "localhost"
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d+$/, '');
}

/**
 * The UI as a Hono app over `db`, read-only: the JSON API under `/api/` (features,
 * datasets, runs, edges) and the built page for everything else. Every error answers
 * JSON `{ error }`: 400 for input that fails validation, 404 for an unknown id or path,
 * 500 "internal error" for anything unexpected — never a stack trace.
 */
export function createUiApp(db: Kysely<Database>, options: UiAppOptions = {}): Hono {
  const app = new Hono();
  const allowed = new Set((options.allowedHosts ?? LOOPBACK_HOSTS).map((h) => h.toLowerCase()));

  app.use('*', async (c, next) => {
    // Without a Host header (in-process requests) the URL's host stands in for it.
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (allowed.size > 0 && !allowed.has(hostName(host).toLowerCase())) {
      return c.json<ApiError>({ error: `host ${JSON.stringify(host)} is not served here` }, 403);
    }
    return next();
  });
  app.use('*', secureHeaders());
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.route('/api/features', featuresRoutes(db));
  app.route('/api/datasets', datasetsRoutes(db));
  app.route('/api/runs', runsRoutes(db));
  app.route('/api/edges', edgesRoutes(db));
  app.all('/api/*', (c) => c.json<ApiError>({ error: `no API route ${c.req.method} ${c.req.path}` }, 404));
  app.route('/', staticRoutes(options.webRoot ?? DEFAULT_WEB_ROOT));

  app.notFound((c) => c.json<ApiError>({ error: `not found: ${c.req.path}` }, 404));
  app.onError((error, c) => {
    const known = classify(error);
    if (known) return c.json<ApiError>({ error: known.message }, known.status);
    options.onError?.(error);
    return c.json<ApiError>({ error: 'internal error' }, 500);
  });
  return app;
}
