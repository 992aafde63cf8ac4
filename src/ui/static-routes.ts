import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { PACKAGE_ROOT } from '../package-root.js';

/** Where `npm run build:web` (and `prepare`) writes the built page: `<package>/dist/web`. */
export const DEFAULT_WEB_ROOT: string = path.join(PACKAGE_ROOT, 'dist', 'web');

/** Whether `webRoot` holds a built page (its `index.html`). */
export function isWebBuilt(webRoot: string): boolean {
  return fs.existsSync(path.join(webRoot, 'index.html'));
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Precog</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto">
<h1>The web UI is not built</h1>
<p>The JSON API under <code>/api/</code> works. To build the page, run
<code>npm run build:web</code> in Precog's folder (<code>npm ci</code> does it too), then reload.</p></body>`;

/**
 * The built page: files of `webRoot` as they are, and `index.html` for every other GET
 * outside `/api/` (the page routes itself). When the page is not built, a short HTML page
 * says how to build it (503), so the API stays usable.
 */
export function staticRoutes(webRoot: string): Hono {
  const app = new Hono();
  if (!isWebBuilt(webRoot)) {
    app.get('*', (c) => c.html(NOT_BUILT, 503));
    return app;
  }
  const index = fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  app.use('/assets/*', async (c, next) => {
    await next();
    // Vite puts a content hash in every asset name: they never change under one name.
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', serveStatic({ root: webRoot }));
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(index);
  });
  return app;
}
