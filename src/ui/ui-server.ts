import type { AddressInfo } from 'node:net';
import os from 'node:os';
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
  /** Further Host names to answer to (`--allow-host`), beside those {@link servedHostNames} gives. */
  readonly extraHosts?: readonly string[];
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
 * The Host names a UI bound to `host` answers to — never "any": a page on another site that
 * resolves its own name to this machine (DNS rebinding) must not read the API, whatever the
 * bind address. Loopback names always; a specific address, itself; the wildcard addresses
 * (0.0.0.0, ::), this machine's name and every address of its interfaces.
 */
export function servedHostNames(host: string, extra: readonly string[] = []): string[] {
  const names = new Set<string>(LOOPBACK_HOSTS);
  if (host === '0.0.0.0' || host === '::') {
    names.add(os.hostname());
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const a of addresses ?? []) names.add(urlHost(a.address.replace(/%.*$/, '')));
    }
  } else if (!LOOPBACK.test(host)) {
    names.add(urlHost(host));
  }
  for (const name of extra) names.add(name);
  return [...names].map((n) => n.toLowerCase());
}

/**
 * Starts the UI (see {@link createUiApp}) on `host:port` and resolves once it listens,
 * answering only to the Host names of {@link servedHostNames} (or `allowedHosts`, when
 * given). A port in use or an unknown host is a UiServerError.
 */
export async function createUiServer(db: Kysely<Database>, options: UiServerOptions = {}): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 4600;
  const allowedHosts = options.allowedHosts ?? servedHostNames(host, options.extraHosts);
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
