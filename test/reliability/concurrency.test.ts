import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type PrecogDb } from '../../src/db/connection.js';
import { ingestValues } from '../../src/features/ingest.js';
import type { FeatureValueInput } from '../../src/features/ingest-sources.js';
import { spawnCli, spawnScript, taggedUrl, waitFor, type Child } from '../support/child-process.js';
import { seedReliabilityFixture } from './crash-fixture.js';
import { createTarget, type Target } from './engine-target.js';
import { concurrentPrice } from './fixtures/scd2-batch-values.js';
import { allViolations, count } from './invariants.js';

/**
 * Concurrent writers on a server database (issue 12 §3): several real processes ingest
 * overlapping files, or apply SCD2 batches to the same keys, at the same time. The result
 * must be exactly what one writer after another would have produced. PGlite is
 * single-process (see embedded-lock.test.ts), so this suite needs TEST_DATABASE_URL.
 */
const server = process.env['TEST_DATABASE_URL'];
if (!server) console.log('concurrency suite skipped: it needs a PostgreSQL server (set TEST_DATABASE_URL)');

const MARKETS = 200;

describe.skipIf(!server)('concurrent writers on a server', () => {
  let target: Target;

  beforeAll(async () => {
    target = await createTarget('postgres');
    await target.use((db) => seedReliabilityFixture(db, target.home, MARKETS));
  });
  afterAll(async () => {
    await target?.dispose();
  });

  /**
   * Four files over segments of 4 × 2,500 keys, each file holding two neighbouring
   * segments (every key is in exactly two files, with the same value), all ingested at once.
   */
  async function ingestOverlapping(name: string, withAvailableAt: boolean) {
    const segment = 2_500;
    const dir = path.join(target.home, name);
    fs.mkdirSync(dir, { recursive: true });
    const teams = ['AAA', 'BBB', 'CCC', 'DDD'];
    const base = Date.UTC(1970, 0, 1) + (withAvailableAt ? 0 : 10 * segment * 60_000);
    const line = (k: number) => {
      const ts = new Date(base + k * 60_000).toISOString();
      return `rating@1,${teams[k % 4]},${ts},${(k % 101) / 4}${withAvailableAt ? `,${ts}` : ','}`;
    };
    const files = [0, 1, 2, 3].map((i) => {
      const keys = [...Array(2 * segment).keys()].map((j) => (i * segment + j) % (4 * segment));
      const file = path.join(dir, `part-${i}.csv`);
      fs.writeFileSync(file, ['feature,entity,timestamp,value,available_at', ...keys.map(line)].join('\n') + '\n');
      return file;
    });
    const before = await target.use((db) => count(db, 'features_historical'));
    const prefix = `precog-${name}-`;
    const children = files.map((f, i) => spawnCli(['features', 'ingest', f, '--json'], target.env(`${prefix}${i}`)));
    const results = await Promise.all(children.map((c) => c.exit));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const reports = results.map((r) => JSON.parse(r.stdout) as { inserted: number; corrected: number; unchanged: number });
    console.log(
      `concurrency: ${children.length} ingests (${withAvailableAt ? 'explicit' : 'default'} available_at); inserted ${reports.map((r) => r.inserted).join('+')}, ` +
        `unchanged ${reports.map((r) => r.unchanged).join('+')}`,
    );
    return { before, segment, base, reports };
  }

  async function expectExactlyOnce(db: PrecogDb, before: number, keys: number, base: number) {
    expect(await count(db, 'features_historical')).toBe(before + keys);
    const { rows } = await sql<{ dup: number; n: number }>`
      select count(*) filter (where c > 1)::int as dup, count(*)::int as n from (
        select count(*) as c from features_historical
         where "timestamp" >= ${new Date(base)} and "timestamp" < ${new Date(base + keys * 60_000)}
         group by feature_id, entity_key, "timestamp") k`.execute(db.db);
    expect(rows[0]).toEqual({ dup: 0, n: keys });
    expect(await allViolations(db)).toEqual([]);
  }

  it('overlapping ingests with knowledge times end with exactly the rows of one ingest', async () => {
    const { before, segment, base, reports } = await ingestOverlapping('ingest-explicit', true);
    expect(reports.reduce((n, r) => n + r.inserted + r.corrected, 0)).toBe(4 * segment);
    await target.use((db) => expectExactlyOnce(db, before, 4 * segment, base));
  });

  // Regression (fixed in a302e03): a row without available_at was stamped with its
  // transaction's start, read before the per-feature advisory lock; an ingest that started
  // earlier but got the lock later stored the other's values again.
  it('overlapping ingests without knowledge times end with exactly the rows of one ingest', async () => {
    const { before, segment, base, reports } = await ingestOverlapping('ingest-default', false);
    expect(reports.reduce((n, r) => n + r.inserted + r.corrected, 0)).toBe(4 * segment);
    await target.use((db) => expectExactlyOnce(db, before, 4 * segment, base));
  });

  // The deterministic form of the test above.
  it('an ingest that began first but commits second does not store the other\'s values again', async () => {
    const n = 500;
    const base = Date.UTC(1960, 0, 1);
    const values: FeatureValueInput[] = Array.from({ length: n }, (_, k) => ({
      feature: 'rating@1',
      entity: ['AAA', 'BBB', 'CCC', 'DDD'][k % 4]!,
      timestamp: new Date(base + k * 60_000).toISOString(),
      value: k % 7,
    }));
    const first = await openDatabase({ engine: 'postgres', url: target.url! });
    const second = await openDatabase({ engine: 'postgres', url: target.url! });
    try {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let staging!: () => void;
      const started = new Promise<void>((resolve) => (staging = resolve));
      async function* slow() {
        staging();
        await gate;
        yield* values;
      }
      // `first` opens its transaction and stalls while staging; `second` runs whole meanwhile.
      const early = ingestValues(first, 'early', slow());
      await started;
      const late = await ingestValues(second, 'late', values);
      expect(late).toMatchObject({ inserted: n, unchanged: 0 });
      open();
      expect(await early).toMatchObject({ inserted: 0, corrected: 0, unchanged: n });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    await target.use(async (db) => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from features_historical
         where "timestamp" >= ${new Date(base)} and "timestamp" < ${new Date(base + n * 60_000)}`.execute(db.db);
      expect(rows[0]!.n).toBe(n);
    });
  });

  it('concurrent SCD2 batches over the same keys serialize: each applied whole, no overlap, one current row', async () => {
    const writers = 3;
    const perKey = 6;
    const barrier = path.join(target.home, 'scd2-go');
    const applyBarrier = path.join(target.home, 'scd2-apply');
    const before = await target.use((db) => count(db, 'markets'));
    const children = [...Array(writers).keys()].map((w) =>
      spawnScript('test/reliability/fixtures/scd2-batch.ts', ['concurrent', String(w), String(MARKETS), String(perKey)], {
        ...target.env(`precog-scd2-${w}`),
        RELIABILITY_BARRIER: barrier,
        RELIABILITY_APPLY_BARRIER: applyBarrier,
      }),
    );
    for (const c of children) await waitFor('the writer to connect', () => c.stdout().includes('"ready"'), { child: c });
    fs.writeFileSync(barrier, 'go');
    // Every writer's transaction is open before any of them writes: they overlap for certain.
    for (const c of children) await waitFor('the writer to open its transaction', () => c.stdout().includes('"tx-open"'), { child: c });
    await target.use(async (db) => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
         where application_name like 'precog-scd2-%' and xact_start is not null`.execute(db.db);
      expect(rows[0]!.n).toBe(writers);
    });
    fs.writeFileSync(applyBarrier, 'go');
    const results = await Promise.all(children.map((c) => c.exit));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    console.log(`concurrency: ${writers} SCD2 batches of ${MARKETS * perKey} updates, all ${writers} transactions open at once`);

    // Every update applied, except the one per key each writer repeats on purpose.
    for (const r of results) {
      const done = r.stdout.split('\n').find((l) => l.includes('"done"'))!;
      expect(JSON.parse(done)).toMatchObject({ updates: MARKETS * perKey, versionsWritten: MARKETS * (perKey - 1), unchanged: MARKETS });
    }
    await target.use(async (db) => {
      expect(await count(db, 'markets')).toBe(before + writers * MARKETS * (perKey - 1));
      expect(await allViolations(db)).toEqual([]);
      // Serialized: per key, after the seeded version, each writer's versions form one block, in its own order.
      const blocks = [...Array(writers).keys()].map((w) => Array.from({ length: perKey - 1 }, (_, s) => concurrentPrice(w, s === 0 ? 0 : s + 1)));
      const { rows } = await sql<{ market_id: string; prices: string[] }>`
        select market_id, array_agg(yes_price::text order by row_start_ts, id) as prices
          from markets where market_id like 'M%' group by market_id`.execute(db.db);
      expect(rows).toHaveLength(MARKETS);
      for (const { market_id, prices } of rows) {
        expect(prices[0], market_id).toBe('0.5000');
        const rest = prices.slice(1);
        const order = [0, 1, 2].map((b) => blocks.findIndex((block) => block[0] === rest[b * (perKey - 1)]));
        expect([...order].sort(), `${market_id}: ${rest.join(' ')}`).toEqual([0, 1, 2]);
        expect(rest, market_id).toEqual(order.flatMap((w) => blocks[w]!));
      }
    });
  });

  // Regression (fixed in a302e03): an idle pooled connection closed by the server crashed
  // the process (pg-pool's 'error' event had no listener).
  it('a server closing an idle pooled connection does not crash the process', async () => {
    const barrier = path.join(target.home, 'idle-go');
    const tag = 'precog-idle-probe';
    const child = spawnScript('test/reliability/fixtures/idle-connection.ts', [], { ...target.env(tag), RELIABILITY_BARRIER: barrier });
    await waitFor('the child to connect', () => child.stdout().includes('"ready"'), { child });
    await target.use(async (db) => {
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${tag}`.execute(db.db);
    });
    // The child's pool has read the termination (and survived it) before it queries again.
    await waitFor('the child to see its idle connection closed', () => child.stdout().includes('"idle-error"'), { child });
    fs.writeFileSync(barrier, 'go');
    const exit = await child.exit;
    expect(exit.code, exit.stderr.slice(0, 1500)).toBe(0);
    expect(exit.stdout).toContain('"n":2');
  });

  // Regression (fixed in a302e03): close() left the pool open when only `transaction` used it.
  it('closing a server database leaves no session behind', async () => {
    const tag = 'precog-close-probe';
    // The pools the database opens (a spy that calls through: the real pool does the work).
    const connects = vi.spyOn(pg.Pool.prototype, 'connect');
    const pools = new Set<pg.Pool>();
    const db = await openDatabase({ engine: 'postgres', url: taggedUrl(target.url!, tag) });
    try {
      await ingestValues(db, 'close-probe', [{ feature: 'rating@1', entity: 'AAA', timestamp: '1950-01-01', value: 1 }]);
      await db.close();
    } finally {
      for (const pool of connects.mock.contexts) pools.add(pool as pg.Pool);
      connects.mockRestore();
    }
    expect(pools.size).toBeGreaterThan(0);
    // Once close() resolves, each pool is ended with no client left (a pool left open would
    // keep its idle client, and its server session, until pg's 10 s idle timeout).
    for (const pool of pools) expect({ ended: pool.ended, clients: pool.totalCount }).toEqual({ ended: true, clients: 0 });
    const sessions = () =>
      target.use(async (d) => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = ${tag}`.execute(d.db)).rows[0]!.n);
    // The server agrees once it has seen the disconnect (the bound is for a hang only).
    await waitFor('the closed database\'s sessions to end', async () => (await sessions()) === 0);
  });
});

