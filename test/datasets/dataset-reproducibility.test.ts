import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDataset, rebuildRegistered } from '../../src/datasets/dataset-builder.js';
import { diffDatasets } from '../../src/datasets/dataset-diff.js';
import { getDataset } from '../../src/datasets/dataset-registry.js';
import { ingestValues } from '../../src/features/ingest.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { tempDir } from '../support/fixtures.js';
import { HOUR, baseSpec, ingestBeforeAndAfter, kickoff, seedLeague } from './dataset-fixture.js';

const TEAMS = ['AAA', 'BBB', 'CCC', 'DDD'];

describeEachEngine('reproducible datasets under late data', (engine) => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    home = tempDir();
    await seedLeague(db);
    await ingestBeforeAndAfter(db);
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('rebuilds byte-identical after corrections and late rows; a later cutoff differs exactly by them', async () => {
    const { dataset } = await buildDataset(db, { ...baseSpec, version: 'pinned' }, home);
    // A correction of week 5's home rating (BBB) and a late value for week 6's line,
    // both dated before their labels but learned after the build.
    const label5 = kickoff(5).getTime() - HOUR;
    await ingestValues(db, 'stat-corrections', [
      {
        feature: 'rating@1',
        entity: 'BBB',
        timestamp: new Date(label5 - 1).toISOString(),
        value: 150,
        external_source: 'espn_api',
        external_reference_id: 'fix-42',
      },
      {
        feature: 'line@1',
        entity: 'G6',
        timestamp: new Date(kickoff(6).getTime() - 2 * HOUR).toISOString(),
        value: -3.5,
        external_source: 'kalshi_api',
      },
    ]);
    const registered = await getDataset(db.db, 'games@pinned');
    const rebuilt = await rebuildRegistered(db, registered);
    expect(rebuilt.sha256).toBe(dataset.metadata.sha256);

    // In known-at mode the late rows were not known at any label time, so even a later
    // cutoff sees the same data: the diff says identical.
    const diff = await diffDatasets(db, 'games@pinned', new Date(Date.now() + 1000));
    expect(diff.identical).toBe(true);
    expect(diff.rows_added).toEqual([]);
    expect(diff.rows_removed).toEqual([]);
    expect(diff.columns.every((c) => c.changed === 0)).toBe(true);

    // In event-time mode (the latest correction of the value at T wins), a later cutoff
    // reveals exactly the correction, and the diff names it.

    const eventSpec = { ...baseSpec, version: 'pinned-event', mode: 'event' as const };
    await buildDataset(db, eventSpec, home);
    await ingestValues(db, 'stat-corrections-2', [
      {
        feature: 'rating@1',
        entity: 'BBB',
        timestamp: new Date(label5 - 1).toISOString(),
        value: 175,
        external_source: 'espn_api',
        external_reference_id: 'fix-43',
      },
    ]);
    const eventRegistered = await getDataset(db.db, 'games@pinned-event');
    expect((await rebuildRegistered(db, eventRegistered)).sha256).toBe(eventRegistered.metadata.sha256);
    const eventDiff = await diffDatasets(db, 'games@pinned-event', new Date(Date.now() + 1000));
    const homeRating = eventDiff.columns.find((c) => c.column === 'home_rating')!;
    expect(homeRating.changed).toBe(1);
    expect(homeRating.largest[0]).toMatchObject({ event_id: 'G5', entity: 'BBB', after: 175 });
    expect(homeRating.largest[0]!.responsible.map((r) => r.external_reference_id)).toEqual(['fix-43']);
    expect(eventDiff.columns.find((c) => c.column === 'diff_rating')!.changed).toBe(1);
    expect(eventDiff.columns.find((c) => c.column === 'line')!.changed).toBe(0);
  });

  it('property: whatever is written later, a rebuild at the old cutoff equals the original', async () => {
    let run = 0;
    // One write per (team, instant): one file giving two values for the same key and knowledge
    // time is a conflict the ingest rejects on purpose (test/features/ingest.test.ts).
    const writeArb = fc.uniqueArray(
      fc.record({
        team: fc.constantFrom(...TEAMS),
        week: fc.integer({ min: 0, max: 8 }),
        offsetMin: fc.integer({ min: -600, max: 600 }),
        value: fc.integer({ min: -1000, max: 1000 }),
      }),
      { minLength: 1, maxLength: 8, selector: (w) => `${w.team}|${w.week}|${w.offsetMin}` },
    );
    await fc.assert(
      fc.asyncProperty(writeArb, fc.constantFrom('known' as const, 'event' as const), async (writes, mode) => {
        run += 1;
        const version = `prop-${run}`;
        const { dataset } = await buildDataset(db, { ...baseSpec, version, mode }, home);
        await ingestValues(
          db,
          `late-${run}`,
          writes.map((w) => ({
            feature: 'rating@1',
            entity: w.team,
            timestamp: new Date(kickoff(w.week).getTime() - HOUR + w.offsetMin * 60_000).toISOString(),
            value: w.value + run / 1000,
          })),
        );
        const rebuilt = await rebuildRegistered(db, await getDataset(db.db, `games@${version}`));
        expect(rebuilt.sha256).toBe(dataset.metadata.sha256);
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
