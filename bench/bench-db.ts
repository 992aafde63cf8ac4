import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseConfig, type PrecogDb } from '../src/db/connection.js';
import type { Engine } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrator.js';

/** The default server, used only when it answers and no URL is given. */
export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A migrated database the benchmark owns: a fresh server database or a PGlite temp dir. */
export interface BenchDb {
  readonly engine: Engine;
  readonly db: PrecogDb;
  /** How another process opens the same database (the peak-RSS child). */
  readonly config: DatabaseConfig;
  /** The server database's URL (for `psql`); undefined on PGlite. */
  readonly url: string | undefined;
  /** Closes the connection, keeping the database (PGlite is single-process: close before a child opens it). */
  close(): Promise<void>;
  /** Closes it and removes the database (server) or directory (PGlite). */
  dispose(): Promise<void>;
}

/** The same server URL pointing at another database. */
export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The server to benchmark: `BENCH_DATABASE_URL`, else `TEST_DATABASE_URL`, else the default
 * local server if it answers. Returns the reason when there is none.
 */
export async function findServer(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string } | { skip: string }> {
  const given = env['BENCH_DATABASE_URL'] || env['TEST_DATABASE_URL'];
  const url = given || DEFAULT_SERVER_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { url };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      skip: given
        ? `server ${redact(url)} is not reachable (${why})`
        : `no BENCH_DATABASE_URL/TEST_DATABASE_URL and ${DEFAULT_SERVER_URL} is not reachable (${why})`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Opens and migrates the database of `config`; on failure closes it and runs `discard`
 * (drop the database, remove the directory). Returns it with an idempotent `close`.
 */
async function openMigrated(
  config: DatabaseConfig,
  discard: () => Promise<void> | void,
): Promise<{ opened: PrecogDb; close: () => Promise<void> }> {
  let db: PrecogDb | undefined;
  try {
    db = await openDatabase(config);
    await migrateToLatest(db.db);
  } catch (error) {
    await db?.close();
    await discard();
    throw error;
  }
  const opened = db;
  let closed = false;
  const close = async () => {
    if (!closed) await opened.close();
    closed = true;
  };
  return { opened, close };
}

/**
 * Creates the benchmark's own database `<name>` on the server of `serverUrl` (never touching
 * any other database), migrated to the latest schema.
 */
export async function createServerBenchDb(serverUrl: string, name: string): Promise<BenchDb> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad benchmark database name ${name}`);
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabaseName(serverUrl, name);
  const config: DatabaseConfig = { engine: 'postgres', url };
  const drop = () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const { opened, close } = await openMigrated(config, drop);
  return {
    engine: 'postgres',
    db: opened,
    config,
    url,
    close,
    async dispose() {
      await close();
      await drop();
    },
  };
}

/** A migrated on-disk PGlite database in a new temporary directory. */
export async function createPgliteBenchDb(): Promise<BenchDb> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'precog-bench-'));
  const config: DatabaseConfig = { engine: 'pglite', dataDir: path.join(root, 'db') };
  const { opened, close } = await openMigrated(config, () => fs.rmSync(root, { recursive: true, force: true }));
  return {
    engine: 'pglite',
    db: opened,
    config,
    url: undefined,
    close,
    async dispose() {
      await close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
