import type { Command } from 'commander';
import { z } from 'zod';
import { DEFAULT_WEB_ROOT, isWebBuilt } from '../ui/static-routes.js';
import { createUiServer } from '../ui/ui-server.js';
import { withDatabase, type DbCommandOptions } from './context.js';
import { printLines, UsageError } from './output.js';

interface UiOptions extends DbCommandOptions {
  readonly port: string;
  readonly host: string;
  readonly allowHost: string[];
}

const PortSchema = z.string().regex(/^\d{1,5}$/).transform(Number).pipe(z.number().int().min(0).max(65_535));
const HostSchema = z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.:_-]+$/);

/** Resolves on the first SIGINT or SIGTERM (Ctrl-C), then stops listening for them. */
function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `precog ui`: the local, read-only web UI over the configured database. */
export function registerUiCommands(program: Command): void {
  program
    .command('ui')
    .description('local web UI (read-only): features, datasets, training runs and edges')
    .option('--port <port>', 'TCP port (0: any free port)', '4600')
    .option('--host <host>', 'interface to bind; the default serves only this machine', '127.0.0.1')
    .option(
      '--allow-host <name>',
      'another Host name to answer to (repeatable); the UI answers only to this machine\'s names and addresses',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText(
      'after',
      '\nThe UI has no login: keep the default --host unless the network is trusted.\n' +
        'Example:\n  precog ui --port 4600    # then open http://127.0.0.1:4600',
    )
    .action(async (opts: UiOptions) => {
      const port = PortSchema.safeParse(opts.port);
      if (!port.success) throw new UsageError(`--port must be a number from 0 to 65535, not "${opts.port}"`);
      const host = HostSchema.safeParse(opts.host);
      if (!host.success) throw new UsageError(`--host must be a host name or IP address, not "${opts.host}"`);
      for (const name of opts.allowHost) {
        if (!HostSchema.safeParse(name).success) throw new UsageError(`--allow-host must be a host name or IP address, not "${name}"`);
      }
      await withDatabase(opts, async (conn) => {
        const server = await createUiServer(conn.db, {
          port: port.data,
          host: host.data,
          extraHosts: opts.allowHost,
          onError: (error) => process.stderr.write(`precog ui: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
        });
        try {
          printLines(`Precog UI at ${server.url}  (${conn.engine}: ${conn.location}); Ctrl-C stops it`);
          if (!isWebBuilt(DEFAULT_WEB_ROOT)) {
            process.stderr.write(`precog ui: the page is not built (${DEFAULT_WEB_ROOT}); run npm run build:web — the API works meanwhile\n`);
          }
          if (conn.engine === 'pglite') {
            process.stderr.write(
              'precog ui: the embedded database stays locked while the UI runs; other precog commands wait or fail ' +
                '(use DATABASE_URL to share a server database)\n',
            );
          }
          await untilStopped();
        } finally {
          await server.close();
        }
      });
    });
}
