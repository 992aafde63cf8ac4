import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import type { Engine } from '../../src/db/engine.js';
import { importNfl538, type Nfl538ImportReport } from '../../src/features/sources/nfl-538-import.js';
import { waitFor } from './child-process.js';
import { createTestDatabase, migratedTemplate, type DatabaseTemplate, type TestDatabase } from './engines.js';
import { derivedTemplateName, withDatabaseName } from './templates.js';

/** What the suites cloning the NFL template get: the database, and the import's own report. */
export interface Nfl538Database {
  readonly db: TestDatabase;
  /** The report of the one `importNfl538` that filled the template. */
  readonly report: Nfl538ImportReport;
  /** Seconds the import took, when this suite made the template (undefined: cloned one made earlier). */
  readonly importSeconds: number | undefined;
}

interface TemplateRecord {
  readonly report: Nfl538ImportReport;
  readonly template: DatabaseTemplate;
}

/** A bound for a template another worker is building: ~15 s quiet, reached only by a hang. */
const BUILD_BOUND_MS = 600_000;

/**
 * A fresh database holding the whole 538 history (`importNfl538` of `gamesFile`), cloned from a
 * template filled once per test run and engine: the full import costs 4–11 s, and several suites
 * need it. The first suite (in whichever worker) to ask builds it under a file lock; any other
 * waits for the record file to appear. A failed build leaves an error file, so waiters fail too.
 */
export async function createNfl538Database(engine: Engine, gamesFile: string): Promise<Nfl538Database> {
  const runDir = path.dirname(inject('pgliteTemplate'));
  const recordFile = path.join(runDir, `nfl538-${engine}.json`);
  const errorFile = `${recordFile}.error`;
  let importSeconds: number | undefined;
  let lock: number | undefined;
  try {
    lock = fs.openSync(`${recordFile}.lock`, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (lock !== undefined) {
    fs.closeSync(lock);
    try {
      const started = performance.now();
      const record = await buildTemplate(engine, gamesFile, runDir);
      importSeconds = (performance.now() - started) / 1000;
      fs.writeFileSync(`${recordFile}.tmp`, JSON.stringify(record));
      fs.renameSync(`${recordFile}.tmp`, recordFile);
    } catch (error) {
      fs.writeFileSync(errorFile, String((error as Error)?.stack ?? error));
      throw error;
    }
  } else {
    await waitFor(`the NFL template (${engine}) another suite is building`, () => fs.existsSync(recordFile) || fs.existsSync(errorFile), {
      timeoutMs: BUILD_BOUND_MS,
      everyMs: 100,
    });
    if (!fs.existsSync(recordFile)) throw new Error(`building the NFL template failed:\n${fs.readFileSync(errorFile, 'utf8')}`);
  }
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as TemplateRecord;
  return { db: await createTestDatabase(engine, record.template), report: record.report, importSeconds };
}

/** Imports the games into a copy of the migrated template and keeps that copy as a template. */
async function buildTemplate(engine: Engine, gamesFile: string, runDir: string): Promise<TemplateRecord> {
  const base = migratedTemplate();
  if (engine === 'pglite') {
    const db = await createTestDatabase('pglite', base);
    try {
      const report = await importNfl538(db, gamesFile);
      const tarball = path.join(runDir, 'nfl538-pglite.tar');
      const dump = await db.pglite!.dumpDataDir('none');
      fs.writeFileSync(tarball, new Uint8Array(await dump.arrayBuffer()));
      return { report, template: { ...base, pgliteTarball: tarball } };
    } finally {
      await db.dispose();
    }
  }
  const url = process.env['TEST_DATABASE_URL'];
  if (!url || !base.serverTemplate) throw new Error('server engine requested without TEST_DATABASE_URL');
  // Named after the run's template, so the global teardown drops it with that one.
  const name = derivedTemplateName(base.serverTemplate, 'nfl538');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${base.serverTemplate}`);
  } finally {
    await admin.end();
  }
  // Closed before anyone clones it: CREATE DATABASE … TEMPLATE needs it without sessions.
  const db = await openDatabase({ engine: 'postgres', url: withDatabaseName(url, name) });
  try {
    return { report: await importNfl538(db, gamesFile), template: { ...base, serverTemplate: name } };
  } finally {
    await db.close();
  }
}
