import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDataset, rebuildRegistered } from '../../src/datasets/dataset-builder.js';
import { diffDatasets } from '../../src/datasets/dataset-diff.js';
import { getDataset } from '../../src/datasets/dataset-registry.js';
import { ingestValues } from '../../src/features/ingest.js';
import { describeEachEngine, type TestDatabase } from '../support/engines.js';
import { HOUR, baseSpec, closeLeague, kickoff, openLeague } from './dataset-fixture.js';

const TEAMS = ['AAA', 'BBB', 'CCC', 'DDD'];

describeEachEngine('reproducible datasets under late data', (engine) => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => ({ db, home } = await openLeague(engine)));
  afterAll(() => closeLeague({ db, home }));

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

  it('property: under any interleaving of ingests and builds, every earlier dataset rebuilds byte-identical', async () => {
    // Fresh values (known now), corrections of stored values, and backfills whose
    // available_at lies in the past — before every cutoff pinned so far — interleaved with
    // builds in both modes, with and without an explicit (past) cutoff.
    const write = fc.record({
      team: fc.constantFrom(...TEAMS),
      week: fc.integer({ min: 0, max: 8 }),
      offsetMin: fc.integer({ min: -600, max: 600 }),
      value: fc.integer({ min: -1000, max: 1000 }),
    });
    const step = fc.oneof(
      fc.record({ kind: fc.constantFrom('fresh' as const, 'correction' as const, 'backfill' as const), writes: fc.array(write, { minLength: 1, maxLength: 6 }) }),
      fc.record({ kind: fc.constant('build' as const), mode: fc.constantFrom('known' as const, 'event' as const), pastCutoff: fc.boolean() }),
    );
    let run = 0;
    let unique = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 7 }), async (steps) => {
        run += 1;
        const built: { ref: string; sha256: string }[] = [];
        for (const [i, s] of steps.entries()) {
          if (s.kind === 'build') {
            const version = `prop-${run}-${i}`;
            const cutoff = s.pastCutoff ? { knowledge_cutoff: new Date(Date.now() - 60_000).toISOString() } : {};
            const { dataset } = await buildDataset(db, { ...baseSpec, version, mode: s.mode, ...cutoff }, home);
            built.push({ ref: `games@${version}`, sha256: dataset.metadata.sha256 });
          } else {
            await ingestValues(
              db,
              `${s.kind}-${run}-${i}`,
              s.writes.map((w) => {
                const label = kickoff(w.week).getTime() - HOUR;
                // A correction restates a fixture value's own timestamp; the others land anywhere
                // around the label, each at an instant no other write uses.
                unique += 1;
                const ts = s.kind === 'correction' ? label - 1 : label + w.offsetMin * 60_000 + unique;
                const availableAt = s.kind === 'fresh' ? {} : { available_at: new Date(ts + unique).toISOString() };
                return { feature: 'rating@1', entity: w.team, timestamp: new Date(ts).toISOString(), value: w.value + unique / 1000, ...availableAt };
              }),
            );
          }
          for (const b of built) {
            const rebuilt = await rebuildRegistered(db, await getDataset(db.db, b.ref));
            expect(rebuilt.sha256, `${b.ref} after step ${i} (${s.kind})`).toBe(b.sha256);
          }
        }
      }),
      { numRuns: 25, seed: Number(process.env.PRECOG_PROPERTY_SEED ?? 20261204) },
    );
  }, 600_000);

  it('refuses a knowledge cutoff in the future, naming it', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await expect(buildDataset(db, { ...baseSpec, version: 'future', knowledge_cutoff: future }, home)).rejects.toThrow(
      /knowledge_cutoff .* is in the future/,
    );
    await expect(getDataset(db.db, 'games@future')).rejects.toThrow(/not registered/);
  });
});
