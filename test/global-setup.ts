import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { bundleChildren } from './support/child-bundles.js';
import { childBundlesPath, pgliteTemplatePath, serverTemplateName, withDatabaseName } from './support/templates.js';

/**
 * Bundles the child processes' entry points from the current sources (no suite runs stale
 * code), and migrates the schema once per test run into templates that every suite clones:
 * a PGlite `dumpDataDir()` tarball (initdb costs ~5 s per instance; loading a dump ~1 s)
 * and, when TEST_DATABASE_URL is set, a server database used as CREATE DATABASE template.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tarball = pgliteTemplatePath(process.pid);
  fs.mkdirSync(path.dirname(tarball), { recursive: true });
  const embedded = await openDatabase({ engine: 'pglite', dataDir: undefined });
  try {
    await migrateToLatest(embedded.db);
    const dump = await embedded.pglite!.dumpDataDir('none');
    fs.writeFileSync(tarball, new Uint8Array(await dump.arrayBuffer()));
  } finally {
    await embedded.close();
  }
  project.provide('pgliteTemplate', tarball);
  const bundles = childBundlesPath(process.pid);
  await bundleChildren(bundles);
  project.provide('childBundles', bundles);

  const url = process.env['TEST_DATABASE_URL'];
  let dropTemplate = async () => {};
  if (url) {
    const template = serverTemplateName();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const server = await openDatabase({ engine: 'postgres', url: withDatabaseName(url, template) });
    try {
      await migrateToLatest(server.db);
    } finally {
      await server.close();
    }
    project.provide('serverTemplate', template);
    dropTemplate = async () => {
      // The run's template and those the suites derived from it (see derivedTemplateName).
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname = $1 or datname like $2`,
        [template, `${template}\\_%`],
      );
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  return async () => {
    await dropTemplate();
    fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    serverTemplate: string | undefined;
    pgliteTemplate: string;
    /** Where this run's child-process bundles are (see `support/child-bundles.ts`). */
    childBundles: string;
  }
}
