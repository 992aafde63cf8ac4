import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/datasets/dataset-builder.js';
import { getDataset } from '../../src/datasets/dataset-registry.js';
import { verifyDataset } from '../../src/datasets/dataset-verify.js';
import { DatasetImmutableError } from '../../src/datasets/errors.js';
import { ingestRecords, ingestValues } from '../../src/features/ingest.js';
import { iterableRecords } from '../../src/features/ingest-sources.js';
import { describeEachEngine, TEST_ENGINES, type TestDatabase } from '../support/engines.js';
import { HOUR, baseSpec, closeLeague, kickoff, openLeague } from './dataset-fixture.js';

/** The fixture's label time of week `w`'s game. */
const labelOf = (w: number) => new Date(kickoff(w).getTime() - HOUR);

/**
 * A correction of AAA's rating just before week `w`'s label (the fixture's value there is
 * known at its timestamp), known at `availableAt` (default: when ingested).
 */
function rating(w: number, value: number, availableAt?: Date) {
  const ts = new Date(labelOf(w).getTime() - 1);
  return {
    feature: 'rating@1',
    entity: 'AAA',
    timestamp: ts.toISOString(),
    value,
    ...(availableAt ? { available_at: availableAt.toISOString() } : {}),
  };
}

/** The ids a raw INSERT of AAA's rating needs. */
async function ratingOfAAA(db: TestDatabase): Promise<{ feature_id: number; team_id: number }> {
  const { rows } = await sql<{ feature_id: number; team_id: number }>`
    select d.feature_id, t.team_id from feature_definitions d, teams t
     where d.feature_name = 'rating' and t.code = 'AAA'`.execute(db.db);
  return rows[0]!;
}

describeEachEngine('datasets under concurrent builds and the record clock', (engine) => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => ({ db, home } = await openLeague(engine)));
  afterAll(() => closeLeague({ db, home }));

  it('two builds of one new version at once: one registers, the other is a no-op, the file verifies', async () => {
    const spec = { ...baseSpec, version: 'twice', mode: 'event' as const };
    const results = await Promise.all([buildDataset(db, spec, home), buildDataset(db, spec, home)]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(results[0]!.dataset.metadata.sha256).toBe(results[1]!.dataset.metadata.sha256);
    expect((await verifyDataset(db, 'games@twice')).ok).toBe(true);
  });

  it('builds racing ingests: one registration, the losers say it already exists, the registered file verifies', async () => {
    // Without a pinned cutoff each build pins its own; the ingests between them change the
    // content, so a loser may have rendered different bytes — it must never publish them.
    const spec = { ...baseSpec, version: 'raced', mode: 'event' as const };
    const build = () => buildDataset(db, spec, home);
    const [builds, ingests] = await Promise.all([
      Promise.allSettled([build(), build(), build(), build()]),
      Promise.all([ingestValues(db, 'race-1', [rating(2, 501)]), ingestValues(db, 'race-2', [rating(3, 502)])]),
    ]);
    expect(builds.filter((o) => o.status === 'fulfilled' && o.value.created)).toHaveLength(1);
    for (const o of builds) {
      if (o.status === 'rejected') {
        expect(o.reason).toBeInstanceOf(DatasetImmutableError);
        expect(String(o.reason.message)).toMatch(/dataset games@raced already exists/);
      }
    }
    expect(ingests.map((r) => r.inserted + r.corrected)).toEqual([1, 1]);
    expect((await verifyDataset(db, 'games@raced')).ok).toBe(true);
    expect(fs.readdirSync(`${home}/datasets/games`).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('recorded_at is the database’s: a raw insert naming its own recorded time is refused', async () => {
    const { feature_id, team_id } = await ratingOfAAA(db);
    const insert = (recordedAt: string) => sql`
      insert into features_historical (feature_id, entity_type, team_id, "timestamp", feature_value, external_source, recorded_at)
      values (${feature_id}, 'team', ${team_id}, '2021-09-01T00:00:00Z', 7, 'raw', ${recordedAt}::timestamptz)`.execute(db.db);
    // Inside the last pinned cutoff (every dataset above pinned one after 2021) …
    await expect(insert('2021-09-02T00:00:00Z')).rejects.toThrow(/recorded_at .* is not this transaction's own time/);
    // … or ahead of the clock, where a later build's cutoff would reach it.
    await expect(insert('2999-01-01T00:00:00Z')).rejects.toThrow(/recorded_at .* is not this transaction's own time/);
    const { rows: raw } = await sql<{ n: number }>`select count(*)::int as n from features_historical where external_source = 'raw'`.execute(db.db);
    expect(raw[0]!.n).toBe(0);
  });
});

const server = TEST_ENGINES.includes('postgres');
if (!server) console.log('record-clock race on a server skipped: it needs a PostgreSQL server (set TEST_DATABASE_URL)');

describe.skipIf(!server)('the record clock on a server', () => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => ({ db, home } = await openLeague('postgres')));
  afterAll(() => closeLeague({ db, home }));

  /** Blocks (in the database) until some session waits for an advisory lock. */
  async function untilSomeoneWaitsForTheRecordClock(): Promise<void> {
    await sql`do $$ begin
      while not exists (select 1 from pg_locks where locktype = 'advisory' and not granted) loop
        perform pg_sleep(0.005);
      end loop; end $$`.execute(db.db);
  }

  it('an ingest committing while a build pins its cutoff is in the dataset, and stays in every rebuild', async () => {
    let insertedRows!: () => void;
    const inserted = new Promise<void>((resolve) => (insertedRows = resolve));
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    const ingest = db.transaction(async (session) => {
      // Backdated knowledge: by available_at alone it would fall inside any cutoff.
      const values = [rating(4, 777, labelOf(4))];
      const report = await ingestRecords(session, 'in-flight', iterableRecords('in-flight', values));
      insertedRows();
      await committed;
      return report;
    });
    await inserted;
    const build = buildDataset(db, { ...baseSpec, version: 'during-ingest', mode: 'event' as const }, home);
    await untilSomeoneWaitsForTheRecordClock();
    commit();
    expect((await ingest).corrected).toBe(1);
    const { dataset } = await build;

    const { rows } = await sql<{ recorded_at: Date }>`
      select recorded_at from features_historical where external_source = 'import' and feature_value = 777`.execute(db.db);
    expect(rows[0]!.recorded_at.getTime()).toBeLessThanOrEqual(dataset.knowledge_cutoff.getTime());
    // A backfill afterwards, dated before the cutoff on both value clocks, changes nothing.
    await ingestValues(db, 'backfill', [rating(5, 888, labelOf(5))]);
    const report = await verifyDataset(db, 'games@during-ingest');
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('a writer whose snapshot predates a pin cannot commit a value recorded before it', async () => {
    const { dataset } = await buildDataset(db, { ...baseSpec, version: 'before-writer', mode: 'event' as const }, home);
    const { feature_id, team_id } = await ratingOfAAA(db);
    let snapshotTaken!: () => void;
    const began = new Promise<void>((resolve) => (snapshotTaken = resolve));
    let pinned!: () => void;
    const pin = new Promise<void>((resolve) => (pinned = resolve));
    const writer = db.db
      .connection()
      .execute(async (conn) => {
        await sql`begin isolation level repeatable read`.execute(conn);
        try {
          // recorded_at = the transaction's start, taken before the pin below.
          await sql`select 1`.execute(conn);
          snapshotTaken();
          await pin;
          await sql`
            insert into features_historical (feature_id, entity_type, team_id, "timestamp", feature_value, external_source, recorded_at)
            values (${feature_id}, 'team', ${team_id}, ${new Date(kickoff(6).getTime() - 2 * HOUR)}, 9, 'late-writer', now())`.execute(conn);
          await sql`commit`.execute(conn);
        } catch (error) {
          await sql`rollback`.execute(conn);
          throw error;
        }
      });
    await began;
    const later = await buildDataset(db, { ...baseSpec, version: 'pinned-under-writer', mode: 'event' as const }, home);
    pinned();
    await expect(writer).rejects.toThrow(/after the last pinned knowledge cutoff/);
    expect(later.dataset.knowledge_cutoff.getTime()).toBeGreaterThan(dataset.knowledge_cutoff.getTime());
    expect((await verifyDataset(db, 'games@pinned-under-writer')).ok).toBe(true);
  });
});
