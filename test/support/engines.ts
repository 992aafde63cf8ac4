import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { openDatabase, type PrecogDb } from '../../src/db/connection.js';
import type { Engine } from '../../src/db/engine.js';
import { withDatabaseName } from './templates.js';

/** A fresh, migrated database for one engine; `dispose` closes and (on a server) drops it. */
export interface TestDatabase extends PrecogDb {
  readonly url?: string;
  dispose(): Promise<void>;
}

const serverUrl = process.env['TEST_DATABASE_URL'];

/** The engines this run tests: PGlite always, the server when TEST_DATABASE_URL is set. */
export const TEST_ENGINES: readonly Engine[] = serverUrl ? ['pglite', 'postgres'] : ['pglite'];

/** What a test database starts from: a PGlite data-directory dump, or a server template database. */
export interface DatabaseTemplate {
  readonly pgliteTarball: string;
  readonly serverTemplate: string | undefined;
}

/** The run's migrated, empty template (made by the global setup). */
export function migratedTemplate(): DatabaseTemplate {
  return { pgliteTarball: inject('pgliteTemplate'), serverTemplate: inject('serverTemplate') };
}

/** Opens a fresh database cloned from `from` (default: the run's migrated, empty template). */
export async function createTestDatabase(engine: Engine, from: DatabaseTemplate = migratedTemplate()): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const tarball = new Blob([new Uint8Array(fs.readFileSync(from.pgliteTarball))]);
    const db = await openDatabase({ engine: 'pglite', dataDir: undefined, loadDataDir: tarball });
    return Object.assign(db, { dispose: () => db.close() });
  }
  const template = from.serverTemplate;
  if (!serverUrl || !template) throw new Error('server engine requested without TEST_DATABASE_URL');
  const name = `precog_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabaseName(serverUrl, name);
  const db = await openDatabase({ engine: 'postgres', url });
  return Object.assign(db, {
    url,
    async dispose() {
      await db.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  });
}

/**
 * Runs a suite once per engine (Kysely's test style): `describe('<name> [pglite]', …)`
 * and, with TEST_DATABASE_URL, `describe('<name> [postgres]', …)`.
 */
export function describeEachEngine(name: string, body: (engine: Engine) => void): void {
  for (const engine of TEST_ENGINES) describe(`${name} [${engine}]`, () => body(engine));
}
