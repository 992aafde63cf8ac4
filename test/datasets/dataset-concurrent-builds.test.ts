import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type PrecogDb } from '../../src/db/connection.js';
import { buildDataset, type BuildResult } from '../../src/datasets/dataset-builder.js';
import { verifyDataset } from '../../src/datasets/dataset-verify.js';
import { DatasetImmutableError } from '../../src/datasets/errors.js';
import { taggedUrl, waitFor } from '../support/child-process.js';
import { createTestDatabase, type TestDatabase } from '../support/engines.js';
import { tempDir } from '../support/fixtures.js';
import { sha256File } from '../reliability/invariants.js';
import { baseSpec, ingestBeforeAndAfter, seedLeague } from './dataset-fixture.js';

const server = process.env['TEST_DATABASE_URL'];
if (!server) console.log('concurrent dataset builds skipped: they need a PostgreSQL server (set TEST_DATABASE_URL)');

describe.skipIf(!server)('two builds of one new dataset version on a server', () => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    home = tempDir('precog-build-race-');
    await seedLeague(db);
    await ingestBeforeAndAfter(db);
  });
  afterAll(async () => {
    await db?.dispose();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('only the build that registers publishes its file; the other says the dataset already exists', async () => {
    const builders: PrecogDb[] = await Promise.all(
      ['a', 'b'].map((tag) => openDatabase({ engine: 'postgres', url: taggedUrl(db.url!, `precog-build-race-${tag}`) })),
    );
    const gate = await openDatabase({ engine: 'postgres', url: db.url! });
    try {
      // Registration is held shut (SHARE conflicts with INSERT) until both builds have rendered
      // their files and wait to register: the race the two builds would otherwise win by luck.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const lockHeld = new Promise<void>((resolve) => (locked = resolve));
      const holder = gate.db.transaction().execute(async (trx) => {
        await sql`lock table training_datasets in share mode`.execute(trx);
        locked();
        await released;
      });
      await lockHeld;
      // Different specs under one name@version, so the two files differ.
      const specs = [
        { ...baseSpec, version: 'race' },
        { ...baseSpec, version: 'race', mode: 'event' as const },
      ];
      const builds = builders.map((b, i) =>
        buildDataset(b, specs[i], home).then(
          (result: BuildResult) => ({ ok: true as const, result }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      );
      await waitFor('both builds to wait to register', async () => {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
           where application_name like 'precog-build-race-%' and wait_event_type = 'Lock'`.execute(db.db);
        return rows[0]!.n === 2;
      });
      release();
      await holder;
      const results = await Promise.all(builds);

      const won = results.filter((r) => r.ok);
      const lost = results.flatMap((r) => (r.ok ? [] : [r.error]));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(DatasetImmutableError);
      expect((lost[0] as Error).message).toMatch(/dataset games@race already exists: another build registered it while this one ran/);
      // The registered file is the winner's, whole.
      const registered = won[0]!.ok ? won[0]!.result.dataset : undefined;
      expect(sha256File(registered!.metadata.file_path)).toBe(registered!.metadata.sha256);
      expect((await verifyDataset(db, 'games@race')).ok).toBe(true);
      // The loser left no scratch file behind.
      const dir = fs.readdirSync(`${home}/datasets/games`);
      expect(dir.filter((f) => f.startsWith('.'))).toEqual([]);
    } finally {
      await Promise.all([...builders, gate].map((b) => b.close()));
    }
  });
});
