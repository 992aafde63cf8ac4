import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { VersioningError } from '../../src/db/errors.js';
import { asOf, history, insertFirstVersion } from '../../src/db/scd2.js';
import { applyVersionUpdates } from '../../src/db/scd2-batch.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { seedEvents } from '../support/fixtures.js';

const T0 = Date.UTC(2024, 0, 1);
const at = (minute: number) => new Date(T0 + minute * 60_000);

function market(id: string) {
  return {
    market_id: id,
    platform_id: 'kalshi',
    event_id: 'EV',
    external_id: `x-${id}`,
    title: id,
    market_type: 'binary',
    status: 'open',
    yes_price: '0.5000',
  };
}

describeEachEngine('SCD2 batch updates', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await seedEvents(db, ['EV']);
    for (const id of ['B1', 'B2', 'B3']) await insertFirstVersion(db.db, 'markets', market(id), { at: at(0) });
  });
  afterAll(() => db.dispose());

  it('chains each key\'s changes into versions, skipping changes that alter nothing', async () => {
    const report = await applyVersionUpdates(db.db, 'markets', [
      { key: { market_id: 'B1' }, changes: { yes_price: '0.55' }, at: at(1) },
      { key: { market_id: 'B2' }, changes: { yes_price: '0.5' }, at: at(1) }, // same as stored: skipped
      { key: { market_id: 'B1' }, changes: { yes_price: '0.6000' }, at: at(2) },
      { key: { market_id: 'B1' }, changes: { yes_price: '0.6' }, at: at(3) }, // same: skipped
      { key: { market_id: 'B2' }, changes: { status: 'halted' }, at: at(4) },
    ]);
    expect(report).toEqual({ updates: 5, versionsWritten: 3, unchanged: 2, keys: 2 });
    const b1 = await history(db.db, 'markets', { market_id: 'B1' });
    expect(b1.map((v) => v['yes_price'])).toEqual(['0.5000', '0.5500', '0.6000']);
    expect(b1.map((v) => v.row_current_ind)).toEqual([false, false, true]);
    expect(b1[0]!.row_end_ts).toEqual(at(1));
    expect(b1[1]!.row_end_ts).toEqual(at(2));
    expect((await asOf(db.db, 'markets', { market_id: 'B1' }, at(1)))?.['yes_price']).toBe('0.5500');
    const b2 = await history(db.db, 'markets', { market_id: 'B2' });
    expect(b2.map((v) => v['status'])).toEqual(['open', 'halted']);
    expect(b2[1]!['yes_price']).toBe('0.5000');
  });

  it('rejects the whole batch on a change dated before the current version, or an unknown key', async () => {
    const before = await history(db.db, 'markets', { market_id: 'B3' });
    await expect(
      applyVersionUpdates(db.db, 'markets', [
        { key: { market_id: 'B3' }, changes: { yes_price: '0.7' }, at: at(10) },
        { key: { market_id: 'B1' }, changes: { yes_price: '0.9' }, at: at(0) },
      ]),
    ).rejects.toThrow(VersioningError);
    await expect(
      applyVersionUpdates(db.db, 'markets', [{ key: { market_id: 'NOPE' }, changes: { yes_price: '0.7' } }]),
    ).rejects.toThrow(/NOPE has no current version/);
    expect(await history(db.db, 'markets', { market_id: 'B3' })).toEqual(before);
  });

  if (engine === 'postgres') {
    it('concurrent batches over the same keys serialize: nothing lost, no overlap', async () => {
      const writers = await Promise.all([0, 1, 2, 3].map(() => openDatabase({ engine: 'postgres', url: db.url! })));
      try {
        await Promise.all(
          writers.map((w, wi) =>
            applyVersionUpdates(
              w.db,
              'markets',
              Array.from({ length: 30 }, (_, i) => ({
                key: { market_id: ['B1', 'B2', 'B3'][i % 3]! },
                changes: { yes_price: ((wi * 30 + i + 1) / 1000).toFixed(4) },
              })),
            ),
          ),
        );
      } finally {
        await Promise.all(writers.map((w) => w.close()));
      }
      for (const id of ['B1', 'B2', 'B3']) {
        const versions = await history(db.db, 'markets', { market_id: id });
        expect(versions.filter((v) => v.row_current_ind)).toHaveLength(1);
        for (let i = 0; i + 1 < versions.length; i++) expect(versions[i]!.row_end_ts).toEqual(versions[i + 1]!.row_start_ts);
      }
    });
  }
});
