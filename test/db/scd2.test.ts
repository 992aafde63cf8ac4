import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { translateDatabaseError } from '../../src/db/constraint-errors.js';
import { ConstraintViolationError, VersioningError } from '../../src/db/errors.js';
import { asOf, closeVersion, history, insertFirstVersion, updateVersion, upsertVersion } from '../../src/db/scd2.js';
import { openDatabase } from '../../src/db/connection.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { seedEvents } from '../support/fixtures.js';

const T = (iso: string) => new Date(iso);

function market(id: string, yes = '0.5000') {
  return {
    market_id: id,
    platform_id: 'kalshi',
    event_id: 'EV1',
    external_id: `ext-${id}`,
    ticker: `TK-${id}`,
    title: `market ${id}`,
    market_type: 'binary',
    status: 'open',
    yes_price: yes,
    no_price: null,
  };
}

describeEachEngine('SCD2 write path', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await seedEvents(db, ['EV1']);
  });
  afterAll(() => db.dispose());

  it('keeps every version, answers as-of queries and history', async () => {
    await insertFirstVersion(db.db, 'markets', market('M1', '0.4000'), { at: T('2024-01-01T10:00:00Z') });
    await updateVersion(db.db, 'markets', { market_id: 'M1' }, { yes_price: '0.4500' }, { at: T('2024-01-01T12:00:00Z') });
    await updateVersion(db.db, 'markets', { market_id: 'M1' }, { yes_price: '0.6' }, { at: T('2024-01-01T14:00:00Z') });
    const versions = await history(db.db, 'markets', { market_id: 'M1' });
    expect(versions.map((v) => v['yes_price'])).toEqual(['0.4000', '0.4500', '0.6000']);
    expect(versions.map((v) => v.row_current_ind)).toEqual([false, false, true]);
    // each version ends exactly where the next starts
    expect(versions[0]!.row_end_ts).toEqual(versions[1]!.row_start_ts);
    expect(versions[1]!.row_end_ts).toEqual(versions[2]!.row_start_ts);
    expect((await asOf(db.db, 'markets', { market_id: 'M1' }, T('2024-01-01T09:59:59Z')))).toBeUndefined();
    expect((await asOf(db.db, 'markets', { market_id: 'M1' }, T('2024-01-01T10:00:00Z')))?.['yes_price']).toBe('0.4000');
    expect((await asOf(db.db, 'markets', { market_id: 'M1' }, T('2024-01-01T13:00:00Z')))?.['yes_price']).toBe('0.4500');
    expect((await asOf(db.db, 'markets', { market_id: 'M1' }, T('2024-01-01T14:00:00Z')))?.['yes_price']).toBe('0.6000');
  });

  it('writes no empty version when nothing material changed', async () => {
    await insertFirstVersion(db.db, 'markets', market('M2', '0.5000'), { at: T('2024-02-01T00:00:00Z') });
    // 0.5 and 0.5000 are the same DECIMAL: compared by the database, not as strings
    const result = await updateVersion(db.db, 'markets', { market_id: 'M2' }, { yes_price: '0.5' });
    expect(result.changed).toBe(false);
    expect(await history(db.db, 'markets', { market_id: 'M2' })).toHaveLength(1);
  });

  it('treats an undefined field as "not given", never as null', async () => {
    await insertFirstVersion(db.db, 'markets', market('MU', '0.3000'), { at: T('2024-05-01T00:00:00Z') });
    const result = await updateVersion(db.db, 'markets', { market_id: 'MU' }, { yes_price: undefined, ticker: undefined });
    expect(result.changed).toBe(false);
    const moved = await updateVersion(db.db, 'markets', { market_id: 'MU' }, { yes_price: '0.4', ticker: undefined });
    expect(moved.version).toMatchObject({ yes_price: '0.4000', ticker: 'TK-MU' });
  });

  it('rejects a change dated before the current version starts, and a missing key', async () => {
    await insertFirstVersion(db.db, 'markets', market('M3'), { at: T('2024-03-01T12:00:00Z') });
    const early = updateVersion(db.db, 'markets', { market_id: 'M3' }, { yes_price: '0.9' }, { at: T('2024-03-01T11:00:00Z') });
    await expect(early).rejects.toThrow(VersioningError);
    await expect(early).rejects.toThrow(/markets market_id=M3: a change at 2024-03-01T11:00:00.000Z is not after the current version's start/);
    await expect(updateVersion(db.db, 'markets', { market_id: 'NOPE' }, { yes_price: '0.1' })).rejects.toThrow(
      /markets market_id=NOPE has no current version/,
    );
    await expect(insertFirstVersion(db.db, 'markets', market('M3'))).rejects.toThrow(/already has a current version/);
    expect(await history(db.db, 'markets', { market_id: 'M3' })).toHaveLength(1);
  });

  it('closes out a key and upserts a new one', async () => {
    await upsertVersion(db.db, 'markets', market('M4', '0.2'), { at: T('2024-04-01T00:00:00Z') });
    await upsertVersion(db.db, 'markets', market('M4', '0.3'), { at: T('2024-04-02T00:00:00Z') });
    await closeVersion(db.db, 'markets', { market_id: 'M4' }, { at: T('2024-04-03T00:00:00Z') });
    const versions = await history(db.db, 'markets', { market_id: 'M4' });
    expect(versions.map((v) => v.row_current_ind)).toEqual([false, false]);
    expect(await asOf(db.db, 'markets', { market_id: 'M4' }, T('2024-04-05T00:00:00Z'))).toBeUndefined();
  });

  it('rejects out-of-range prices with the table, key and rule named, leaving no trace', async () => {
    const error = await insertFirstVersion(db.db, 'markets', market('M5', '1.5')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect((error as Error).message).toMatch(/markets/);
    expect((error as Error).message).toMatch(/yes_price/);
    expect(await history(db.db, 'markets', { market_id: 'M5' })).toHaveLength(0);
  });

  it('the database itself enforces the SCD2 invariants', async () => {
    await insertFirstVersion(db.db, 'markets', market('M6'), { at: T('2024-06-01T00:00:00Z') });
    const raw = async (statement: ReturnType<typeof sql>) =>
      statement.execute(db.db).then(
        () => undefined,
        (e: unknown) => translateDatabaseError(e) as Error,
      );
    const base = sql`insert into markets (market_id, platform_id, event_id, external_id, title, market_type, status,
                     row_current_ind, row_start_ts, row_end_ts)`;
    // a second current version of the same key
    const second = await raw(sql`${base} values ('M6', 'kalshi', 'EV1', 'ext-M6b', 't', 'binary', 'open', true, '2024-06-02', null)`);
    expect(second).toBeInstanceOf(ConstraintViolationError);
    // current flag without an open end, and vice versa
    expect(await raw(sql`${base} values ('M7', 'kalshi', 'EV1', 'x7', 't', 'binary', 'open', true, '2024-06-02', '2024-06-03')`)).toBeInstanceOf(ConstraintViolationError);
    expect(await raw(sql`${base} values ('M7', 'kalshi', 'EV1', 'x7', 't', 'binary', 'open', false, '2024-06-02', null)`)).toBeInstanceOf(ConstraintViolationError);
    // an end before the start
    expect(await raw(sql`${base} values ('M7', 'kalshi', 'EV1', 'x7', 't', 'binary', 'open', false, '2024-06-03', '2024-06-02')`)).toBeInstanceOf(ConstraintViolationError);
    // overlapping versions of one key
    await raw(sql`${base} values ('M8', 'kalshi', 'EV1', 'x8', 't', 'binary', 'open', false, '2024-06-01', '2024-06-05')`);
    const overlap = await raw(sql`${base} values ('M8', 'kalshi', 'EV1', 'x8b', 't', 'binary', 'open', false, '2024-06-04', '2024-06-06')`);
    expect(overlap).toBeInstanceOf(ConstraintViolationError);
    expect(overlap!.message).toMatch(/overlap/);
    // history is never rewritten
    const rewrite = await raw(sql`update markets set title = 'changed' where market_id = 'M8'`);
    expect(rewrite).toBeInstanceOf(ConstraintViolationError);
    expect(await history(db.db, 'markets', { market_id: 'M6' })).toHaveLength(1);
  });

  it('the current_markets view returns only current rows', async () => {
    const { rows } = await sql<{ n: number; keys: number }>`
      select count(*)::int as n, count(distinct market_id)::int as keys from current_markets`.execute(db.db);
    expect(rows[0]!.n).toBe(rows[0]!.keys);
    const all = await sql<{ n: number }>`select count(*)::int as n from markets where row_current_ind`.execute(db.db);
    expect(rows[0]!.n).toBe(all.rows[0]!.n);
  });

  if (engine === 'postgres') {
    it('serializes concurrent writers: 8 × 50 updates of one key give 401 contiguous versions', async () => {
      await insertFirstVersion(db.db, 'markets', market('HOT', '0.0000'));
      const writers = await Promise.all(
        Array.from({ length: 8 }, () => openDatabase({ engine: 'postgres', url: db.url! })),
      );
      try {
        await Promise.all(
          writers.map(async (w, wi) => {
            for (let i = 0; i < 50; i++) {
              // distinct prices so that no update is a no-op
              const price = ((wi * 50 + i + 1) / 1000).toFixed(4);
              await updateVersion(w.db, 'markets', { market_id: 'HOT' }, { yes_price: price });
            }
          }),
        );
      } finally {
        await Promise.all(writers.map((w) => w.close()));
      }
      const versions = await history(db.db, 'markets', { market_id: 'HOT' });
      expect(versions).toHaveLength(401);
      expect(versions.filter((v) => v.row_current_ind)).toHaveLength(1);
      for (let i = 0; i + 1 < versions.length; i++) {
        expect(versions[i]!.row_end_ts).toEqual(versions[i + 1]!.row_start_ts);
      }
      const prices = new Set(versions.map((v) => v['yes_price']));
      expect(prices.size).toBe(401);
    }, 120_000);
  }
});
