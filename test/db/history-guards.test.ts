import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConstraintViolationError, VersioningError } from '../../src/db/errors.js';
import { applyVersionUpdates } from '../../src/db/scd2-batch.js';
import { asOf, closeVersion, history, insertFirstVersion, updateVersion } from '../../src/db/scd2.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { seedEvents } from '../support/fixtures.js';
import { caseCount } from '../support/test-tier.js';

/** Every table whose rows are history (migration 0004 refuses TRUNCATE on each). */
const HISTORY_TABLES = [
  'markets',
  'game_states',
  'edges',
  'positions',
  'account_balance',
  'trades',
  'settlements',
  'position_exits',
  'exit_attempts',
  'feature_definitions',
  'features_historical',
  'training_datasets',
  'model_training_runs',
] as const;

const HOUR = 3_600_000;
const BASE = Date.UTC(2024, 0, 1);
const at = (hours: number) => new Date(BASE + hours * HOUR);

function market(id: string, yes = '0.5000') {
  return {
    market_id: id,
    platform_id: 'kalshi',
    event_id: 'EV-GUARD',
    external_id: `ext-${id}`,
    title: `market ${id}`,
    market_type: 'binary',
    status: 'open',
    yes_price: yes,
  };
}

/** What an as-of read answers: the version's id and price, or nothing. */
async function answer(db: TestDatabase, id: string, t: Date): Promise<string> {
  const v = await asOf(db.db, 'markets', { market_id: id }, t);
  return v ? `${v.id}:${String(v['yes_price'])}` : 'none';
}

/** Runs `fn`; true when it was refused (it threw), false when it went through. */
async function refused(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return false;
  } catch {
    return true;
  }
}

describeEachEngine('history the database protects', (engine) => {
  let db: TestDatabase;
  let run = 0;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await seedEvents(db, ['EV-GUARD']);
  });
  afterAll(() => db?.dispose());

  it('refuses TRUNCATE on every history table', async () => {
    await insertFirstVersion(db.db, 'markets', market('T1'), { at: at(0) });
    for (const table of HISTORY_TABLES) {
      const error = await sql`truncate ${sql.table(table)} cascade`.execute(db.db).catch((e: unknown) => e);
      expect(error, table).toBeInstanceOf(Error);
      expect((error as { code?: string }).code, table).toBe('PR005');
      expect((error as Error).message, table).toContain(`${table} cannot be truncated`);
    }
    expect((await history(db.db, 'markets', { market_id: 'T1' })).length).toBe(1);
  });

  it('refuses a zero-length version: no change at the current version\'s own start', async () => {
    await insertFirstVersion(db.db, 'markets', market('Z1'), { at: at(10) });
    await expect(updateVersion(db.db, 'markets', { market_id: 'Z1' }, { yes_price: '0.6' }, { at: at(10) })).rejects.toThrow(VersioningError);
    await expect(closeVersion(db.db, 'markets', { market_id: 'Z1' }, { at: at(10) })).rejects.toThrow(/not after the current version's start/);
    await expect(
      applyVersionUpdates(db.db, 'markets', [{ key: { market_id: 'Z1' }, changes: { yes_price: '0.7' }, at: at(10) }]),
    ).rejects.toThrow(VersioningError);
    // Raw SQL meets the database's own CHECK.
    const raw = await sql`update markets set row_current_ind = false, row_end_ts = row_start_ts where market_id = 'Z1'`
      .execute(db.db)
      .catch((e: unknown) => e);
    expect((raw as { constraint?: string }).constraint).toBe('markets_row_end_ts_check');
    expect((await history(db.db, 'markets', { market_id: 'Z1' })).map((v) => v.row_end_ts)).toEqual([null]);
  });

  it('folds a batch\'s changes of one key at one instant into one version', async () => {
    await insertFirstVersion(db.db, 'markets', market('F1'), { at: at(20) });
    const report = await applyVersionUpdates(db.db, 'markets', [
      { key: { market_id: 'F1' }, changes: { yes_price: '0.6' }, at: at(21) },
      { key: { market_id: 'F1' }, changes: { status: 'halted' }, at: at(21) },
      { key: { market_id: 'F1' }, changes: { yes_price: '0.7' }, at: at(22) },
    ]);
    expect(report).toMatchObject({ updates: 3, versionsWritten: 2, unchanged: 0 });
    const versions = await history(db.db, 'markets', { market_id: 'F1' });
    expect(versions.map((v) => [v['yes_price'], v['status']])).toEqual([
      ['0.5000', 'open'],
      ['0.6000', 'halted'],
      ['0.7000', 'halted'],
    ]);
    expect(versions[1]!.row_end_ts).toEqual(at(22));
  });

  it('refuses a version inserted at or before an existing version of the same key', async () => {
    await insertFirstVersion(db.db, 'markets', market('B1'), { at: at(30) });
    await updateVersion(db.db, 'markets', { market_id: 'B1' }, { yes_price: '0.6' }, { at: at(32) });
    await closeVersion(db.db, 'markets', { market_id: 'B1' }, { at: at(34) });
    // After a close-out, a new first version may not start in the closed past: open-ended, it
    // would overlap the later versions.
    const error = await insertFirstVersion(db.db, 'markets', market('B1', '0.9'), { at: at(29) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    // Nor may a closed version be slipped into the gap before the first one, where it overlaps
    // nothing (the EXCLUDE constraint alone would let it in).
    const raw = await sql`insert into markets (market_id, platform_id, event_id, external_id, title, market_type, status, yes_price,
                                               row_current_ind, row_start_ts, row_end_ts)
                          values ('B1', 'kalshi', 'EV-GUARD', 'ext-B1x', 'x', 'binary', 'open', 0.1, false, ${at(0)}, ${at(1)})`
      .execute(db.db)
      .catch((e: unknown) => e);
    expect((raw as { code?: string }).code).toBe('PR006');
    expect((raw as Error).message).toMatch(/markets market_id=B1: a version from .* is not after the existing version from .*history is never rewritten/);
    // Strictly after every stored version is fine.
    await insertFirstVersion(db.db, 'markets', market('B1', '0.8'), { at: at(35) });
    expect((await history(db.db, 'markets', { market_id: 'B1' })).map((v) => v['yes_price'])).toEqual(['0.5000', '0.6000', '0.8000']);
  });

  it('property: whatever is thrown at a table afterwards, every as-of answer about its closed past stays the same', async () => {
    const KEYS = 3;
    // A change at an offset (in hours) from the key's current start; offsets ≤ 0 must be refused.
    const call = fc.oneof(
      fc.record({ kind: fc.constant('update' as const), key: fc.nat(KEYS - 1), offset: fc.integer({ min: -6, max: 6 }), price: fc.integer({ min: 1, max: 99 }) }),
      fc.record({ kind: fc.constant('batch' as const), key: fc.nat(KEYS - 1), offset: fc.integer({ min: -6, max: 6 }), price: fc.integer({ min: 1, max: 99 }) }),
      fc.record({ kind: fc.constant('close' as const), key: fc.nat(KEYS - 1), offset: fc.integer({ min: -6, max: 6 }) }),
      fc.record({ kind: fc.constant('reopen' as const), key: fc.nat(KEYS - 1), offset: fc.integer({ min: -60, max: 6 }), price: fc.integer({ min: 1, max: 99 }) }),
      fc.record({
        kind: fc.constant('attack' as const),
        key: fc.nat(KEYS - 1),
        offset: fc.integer({ min: -60, max: 6 }),
        sql: fc.constantFrom('truncate', 'delete', 'update-closed', 'move-start', 'zero-length', 'backdated-insert'),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: KEYS, maxLength: KEYS }),
        fc.array(call, { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        async (versionsPerKey, calls, fractions) => {
          run += 1;
          const ids = versionsPerKey.map((_, k) => `P${run}-${k}`);
          // Each key: a history of hourly versions from hour 0.
          for (const [k, n] of versionsPerKey.entries()) {
            await insertFirstVersion(db.db, 'markets', market(ids[k]!), { at: at(0) });
            for (let v = 1; v < n; v++) await updateVersion(db.db, 'markets', { market_id: ids[k]! }, { yes_price: `0.${10 + v}` }, { at: at(v) });
          }
          // Snapshots at instants before each key's current start: its closed past.
          const snapshots: { id: string; t: Date; answer: string }[] = [];
          for (const [k, n] of versionsPerKey.entries()) {
            for (const f of fractions) {
              // From before the first version (a gap a raw insert could try to fill) to the current start.
              const t = new Date(at(-4).getTime() + f * (at(n - 1).getTime() - at(-4).getTime() - 1));
              snapshots.push({ id: ids[k]!, t, answer: await answer(db, ids[k]!, t) });
            }
          }
          for (const c of calls) {
            const id = ids[c.key]!;
            const latest = (await history(db.db, 'markets', { market_id: id })).at(-1)!;
            const t = new Date(latest.row_start_ts.getTime() + c.offset * HOUR);
            // A change that alters nothing is not a version, so it is never refused for its time.
            const changes = 'price' in c && Number(latest['yes_price']) !== Number(`0.${c.price}`);
            if (c.kind === 'update') {
              const r = await refused(() => updateVersion(db.db, 'markets', { market_id: id }, { yes_price: `0.${c.price}` }, { at: t }));
              if (c.offset <= 0 && latest.row_current_ind && changes) expect(r, 'an update at or before the current start went through').toBe(true);
            } else if (c.kind === 'batch') {
              const r = await refused(() => applyVersionUpdates(db.db, 'markets', [{ key: { market_id: id }, changes: { yes_price: `0.${c.price}` }, at: t }]));
              if (c.offset <= 0 && latest.row_current_ind && changes) expect(r, 'a batch change at or before the current start went through').toBe(true);
            } else if (c.kind === 'close') {
              await refused(() => closeVersion(db.db, 'markets', { market_id: id }, { at: t }));
            } else if (c.kind === 'reopen') {
              await refused(() => insertFirstVersion(db.db, 'markets', market(id, `0.${c.price}`), { at: t }));
            } else {
              const attack = {
                truncate: sql`truncate markets cascade`,
                delete: sql`delete from markets where market_id = ${id}`,
                'update-closed': sql`update markets set yes_price = 0.01 where market_id = ${id} and not row_current_ind`,
                'move-start': sql`update markets set row_start_ts = ${t} where market_id = ${id}`,
                'zero-length': sql`update markets set row_current_ind = false, row_end_ts = row_start_ts where market_id = ${id} and row_current_ind`,
                'backdated-insert': sql`insert into markets (market_id, platform_id, event_id, external_id, title, market_type, status, yes_price,
                                                             row_current_ind, row_start_ts, row_end_ts)
                                        values (${id}, 'kalshi', 'EV-GUARD', ${`${id}-raw`}, 'raw', 'binary', 'open', 0.01, false,
                                                ${new Date(at(-3).getTime() + c.offset)}, ${at(-2)})`,
              }[c.sql];
              // A statement that matches no row changes nothing and may pass; every other is refused.
              const matched = await sql<{ n: number }>`
                select count(*)::int as n from markets where market_id = ${id}
                   and (${c.sql} <> 'update-closed' or not row_current_ind) and (${c.sql} <> 'zero-length' or row_current_ind)`.execute(db.db);
              const hit = await refused(() => attack.execute(db.db));
              if (c.sql === 'truncate' || c.sql === 'backdated-insert' || matched.rows[0]!.n > 0) expect(hit, `raw ${c.sql} went through`).toBe(true);
            }
          }
          for (const s of snapshots) expect(await answer(db, s.id, s.t), `${s.id} as of ${s.t.toISOString()}`).toBe(s.answer);
        },
      ),
      { numRuns: caseCount(15, 60) },
    );
  }, 300_000);
});
