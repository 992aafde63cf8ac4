import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { UiServerError } from './errors.js';
import { createUiApp, LOOPBACK_HOSTS, type UiAppOptions } from './ui-app.js';

/** Where and how the UI listens. */
export interface UiServerOptions extends UiAppOptions {
  /** TCP port; 0 picks a free one (tests). Default 4600. */
  readonly port?: number;
  /** Interface to bind. Default 127.0.0.1: only this machine can connect. */
  readonly host?: string;
}

/** A listening UI server. */
export interface UiServer {
  /** Its base URL, e.g. `http://127.0.0.1:4600`. */
  readonly url: string;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the UI (see {@link createUiApp}) on `host:port` and resolves once it listens.
 * Bound to a loopback address it answers only to loopback Host names; bound elsewhere it
 * also answers to the bound host unless `allowedHosts` says otherwise. A port in use or
 * an unknown host is a UiServerError.
 */
export async function createUiServer(db: Kysely<Database>, options: UiServerOptions = {}): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 4600;
  const allowedHosts =
    options.allowedHosts ?? (LOOPBACK.test(host) ? LOOPBACK_HOSTS : host === '0.0.0.0' || host === '::' ? [] : [...LOOPBACK_HOSTS, urlHost(host)]);
  const app = createUiApp(db, { ...options, allowedHosts });
  return new Promise<UiServer>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host });
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is in use (choose another with --port)' : error.message;
      reject(new UiServerError(`cannot listen on ${urlHost(host)}:${port}: ${reason}`, { host, port, code: error.code }));
    });
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${urlHost(host)}:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}
