import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type PrecogDb } from '../../src/db/connection.js';
import type { Engine } from '../../src/db/engine.js';
import { lockPathFor } from '../../src/db/embedded-lock.js';
import { createTestDatabase, type TestDatabase } from '../support/engines.js';
import { tempDir } from '../support/fixtures.js';
import { childEnv, taggedUrl } from '../support/child-process.js';

/**
 * A database that child processes and the test share: on PGlite an on-disk directory under
 * a fresh `$PRECOG_HOME` (only one process may have it open, so the test opens it only
 * between children); on a server a fresh database that everyone may use at once.
 */
export interface Target {
  readonly engine: Engine;
  /** `$PRECOG_HOME` of the children: dataset files and run artifacts go here. */
  readonly home: string;
  /** PGlite: the data directory. */
  readonly dataDir: string | undefined;
  /** Server: the database URL. */
  readonly url: string | undefined;
  /** The environment of a child using this database; on a server `tag` names its sessions. */
  env(tag?: string): NodeJS.ProcessEnv;
  /** Runs `fn` on the database: on PGlite it is opened (taking the lock) and closed again. */
  use<T>(fn: (db: PrecogDb) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

/** The lock file of an embedded target (undefined on a server). */
export function lockFileOf(target: Target): string | undefined {
  return target.dataDir ? lockPathFor(target.dataDir) : undefined;
}

/** The pid written in an embedded target's lock file, if the file is there and readable. */
export function lockHolder(target: Target): number | undefined {
  const file = lockFileOf(target);
  if (!file) return undefined;
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown };
    return typeof owner.pid === 'number' ? owner.pid : undefined;
  } catch {
    return undefined;
  }
}

/** A migrated embedded database on disk, started from the run's template (no initdb). */
export async function createEmbeddedDirectory(home: string): Promise<string> {
  const dataDir = path.join(home, 'precog-db');
  const tarball = new Blob([new Uint8Array(fs.readFileSync(inject('pgliteTemplate')))]);
  const db = await openDatabase({ engine: 'pglite', dataDir, loadDataDir: tarball });
  await db.close();
  return dataDir;
}

/** A fresh target on `engine` (see {@link Target}). */
export async function createTarget(engine: Engine): Promise<Target> {
  const home = tempDir('precog-reliability-');
  if (engine === 'pglite') {
    const dataDir = await createEmbeddedDirectory(home);
    return {
      engine,
      home,
      dataDir,
      url: undefined,
      env: () => childEnv(home),
      async use(fn) {
        const db = await openDatabase({ engine: 'pglite', dataDir });
        try {
          return await fn(db);
        } finally {
          await db.close();
        }
      },
      async dispose() {
        fs.rmSync(home, { recursive: true, force: true });
      },
    };
  }
  const server: TestDatabase = await createTestDatabase('postgres');
  const url = server.url!;
  return {
    engine,
    home,
    dataDir: undefined,
    url,
    env: (tag) => childEnv(home, tag ? taggedUrl(url, tag) : url),
    use: (fn) => fn(server),
    async dispose() {
      await server.dispose();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
