import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PGliteDialect, PostgresDialect, type Transaction } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFromStream, to as copyToStream } from 'pg-copy-streams';
import type { Database } from './database.js';
import { acquireEmbeddedLock, type EmbeddedLock, type LockOwner } from './embedded-lock.js';
import type { Engine } from './engine.js';
import { openPGlite, PGliteKyselyAdapter } from './pglite-adapter.js';
import type { CopySource, Session } from './session.js';
import { PARSE_DATE_AS_STRING, PARSE_INT8_AS_NUMBER } from './type-parsers.js';

/** An open Precog database on either engine. */
export interface PrecogDb {
  readonly engine: Engine;
  /** Where the data lives: the server URL without its password, or the PGlite directory. */
  readonly location: string;
  readonly db: Kysely<Database>;
  /** The embedded engine's PGlite instance (for dumps and diagnostics); absent on a server. */
  readonly pglite?: PGlite;
  /** Runs `fn` in one transaction that can also COPY; commits if it resolves. */
  transaction<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How to reach the database; {@link resolveDatabaseConfig} reads it from the environment. */
export type DatabaseConfig =
  | { readonly engine: 'postgres'; readonly url: string }
  | {
      readonly engine: 'pglite';
      /** On-disk directory; undefined = in memory (tests). */
      readonly dataDir: string | undefined;
      /** Start from a `dumpDataDir()` tarball instead of an empty database. */
      readonly loadDataDir?: Blob;
      /** Seconds to wait for another process holding the directory (default 0). */
      readonly waitSeconds?: number;
      /** Told who holds the directory when the open starts waiting for it. */
      readonly onWait?: (holder: LockOwner) => void;
      /**
       * The directory's lock, already taken by the caller (who had work to do under it before
       * opening, e.g. `precog demo` recreating the directory); the database releases it on close.
       */
      readonly lock?: EmbeddedLock;
    };

/** `$PRECOG_HOME`, default `./data`: where the embedded database and artifacts live. */
export function precogHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env['PRECOG_HOME'] ?? 'data');
}

/**
 * `DATABASE_URL` set → the PostgreSQL server; otherwise PGlite in `$PRECOG_HOME/precog-db`.
 */
export function resolveDatabaseConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: { waitSeconds?: number; onWait?: (holder: LockOwner) => void } = {},
): DatabaseConfig {
  const url = env['DATABASE_URL'];
  if (url) return { engine: 'postgres', url };
  return { engine: 'pglite', dataDir: path.join(precogHome(env), 'precog-db'), ...options };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      if (oid === pg.types.builtins.INT8) return PARSE_INT8_AS_NUMBER;
      if (oid === pg.types.builtins.DATE) return PARSE_DATE_AS_STRING;
    }
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/** A pg "pool" that always hands out one already-checked-out client (never releasing it). */
function singleClientPool(client: pg.PoolClient): pg.Pool {
  const handle = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'release') return () => undefined;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { connect: async () => handle, end: async () => undefined } as unknown as pg.Pool;
}

async function* chunksOf(data: CopySource): AsyncIterable<Uint8Array | string> {
  if (typeof data === 'string' || data instanceof Uint8Array) yield data;
  else yield* data as AsyncIterable<Uint8Array | string>;
}

function openPostgres(url: string): PrecogDb {
  const pool = new pg.Pool({ connectionString: url, types: pgTypes, max: 10 });
  // The server may close an idle pooled connection (restart, failover, pg_terminate_backend);
  // pg-pool then drops it and connects anew when needed, but first emits 'error', which with
  // no listener would crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    location: redact(url),
    db,
    async transaction(fn) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        const scoped = new Kysely<Database>({ dialect: new PostgresDialect({ pool: singleClientPool(client) }) });
        return await scoped.transaction().execute((trx) =>
          fn({
            db: trx,
            async copyFrom(copySql, data) {
              const stream = client.query(copyFromStream(copySql));
              await pipeline(Readable.from(chunksOf(data)), stream);
              return stream.rowCount ?? 0;
            },
            copyTo(copySql) {
              return client.query(copyToStream(copySql)) as AsyncIterable<Uint8Array>;
            },
          }),
        );
      } catch (error) {
        broken = error;
        throw error;
      } finally {
        // A client whose COPY failed midway may be in an unknown protocol state: drop it.
        client.release(broken instanceof Error && /copy/i.test(broken.message) ? broken : undefined);
      }
    },
    async close() {
      await db.destroy();
      // Kysely ends the pool only if it ever ran a query itself; `transaction` bypasses it.
      if (!pool.ended) await pool.end();
    },
  };
}

async function collect(data: CopySource): Promise<Blob> {
  const parts: (Uint8Array | string)[] = [];
  for await (const chunk of chunksOf(data)) parts.push(chunk);
  return new Blob(parts);
}

function toDevBlob(copySql: string, direction: 'FROM STDIN' | 'TO STDOUT'): string {
  const pattern = direction === 'FROM STDIN' ? /\bFROM\s+STDIN\b/i : /\bTO\s+STDOUT\b/i;
  if (!pattern.test(copySql)) throw new Error(`COPY statement must use ${direction}: ${copySql}`);
  return copySql.replace(pattern, direction === 'FROM STDIN' ? "FROM '/dev/blob'" : "TO '/dev/blob'");
}

async function openEmbedded(config: Extract<DatabaseConfig, { engine: 'pglite' }>): Promise<PrecogDb> {
  let lock: EmbeddedLock | undefined;
  if (config.dataDir) {
    lock = config.lock ?? (await acquireEmbeddedLock(config.dataDir, { waitSeconds: config.waitSeconds ?? 0, onWait: config.onWait }));
  }
  let pglite;
  try {
    pglite = await openPGlite(config.dataDir, config.loadDataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const adapter = new PGliteKyselyAdapter(pglite);
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: adapter }) });
  const currentTx = () => {
    const tx = adapter.currentTransaction;
    if (!tx) throw new Error('COPY needs an open transaction');
    return tx;
  };
  return {
    engine: 'pglite',
    location: config.dataDir ?? ':memory:',
    db,
    pglite,
    transaction(fn) {
      return db.transaction().execute((trx: Transaction<Database>) =>
        fn({
          db: trx,
          async copyFrom(copySql, data) {
            const result = await currentTx().query(toDevBlob(copySql, 'FROM STDIN'), [], {
              blob: await collect(data),
            });
            return result.affectedRows ?? 0;
          },
          async *copyTo(copySql) {
            const result = await currentTx().query(toDevBlob(copySql, 'TO STDOUT'));
            if (result.blob) yield new Uint8Array(await result.blob.arrayBuffer());
          },
        }),
      );
    },
    async close() {
      try {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Opens the database described by `config` (see {@link resolveDatabaseConfig}). */
export async function openDatabase(config: DatabaseConfig): Promise<PrecogDb> {
  return config.engine === 'postgres' ? openPostgres(config.url) : openEmbedded(config);
}
