import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { PrecogDb } from '../../src/db/connection.js';
import type { NewMarket } from '../../src/db/tables/markets.table.js';
import { buildDataset } from '../../src/datasets/dataset-builder.js';
import { baseSpec, ingestBeforeAndAfter, seedLeague } from '../datasets/dataset-fixture.js';
import { marketKey, SEEDED_AT } from './fixtures/scd2-batch-values.js';

/** The event the crash suite's markets belong to. */
const MARKET_EVENT = 'RELIABILITY-EV';

/**
 * Seeds a target for the crash and concurrency suites: the dataset fixture's small league
 * and features (teams AAA–DDD, `rating@1`, `line@1`), the registered dataset `games@1`
 * (what training runs use), and `markets` markets `M0000…` each with one current version
 * at {@link SEEDED_AT}, price 0.5000.
 */
export async function seedReliabilityFixture(db: PrecogDb, home: string, markets: number): Promise<void> {
  await seedLeague(db);
  await ingestBeforeAndAfter(db);
  await buildDataset(db, baseSpec, home);
  await db.db
    .insertInto('events')
    .values({ event_id: MARKET_EVENT, platform_id: 'kalshi', external_id: MARKET_EVENT, category: 'sports', title: 'markets' })
    .execute();
  // The first version of each market, written directly in bulk: the versioned write paths
  // under test start from here.
  for (let start = 0; start < markets; start += 500) {
    const rows: NewMarket[] = [];
    for (let k = start; k < Math.min(markets, start + 500); k++) {
      rows.push({
        market_id: marketKey(k),
        platform_id: 'kalshi',
        event_id: MARKET_EVENT,
        external_id: `rel-${k}`,
        title: `reliability market ${k}`,
        market_type: 'binary',
        status: 'open',
        yes_price: '0.5000',
        row_current_ind: true,
        row_start_ts: SEEDED_AT,
        row_end_ts: null,
      });
    }
    await db.db.insertInto('markets').values(rows).execute();
  }
}

/** The distinct current prices of the seeded markets (one value when a batch was all-or-nothing). */
export async function currentMarketPrices(db: PrecogDb): Promise<string[]> {
  const { rows } = await sql<{ p: string }>`
    select distinct yes_price::text as p from markets
     where row_current_ind and event_id = ${MARKET_EVENT} order by 1`.execute(db.db);
  return rows.map((r) => r.p);
}

/**
 * Writes an ingest file of `rows` fresh `rating@1` values (teams AAA–DDD, one a minute from
 * `firstMinute` after 1990-01-01, knowledge time = event time) — every row a new key, so a
 * committed ingest of it adds exactly `rows` rows. CSV or NDJSON by the extension of `name`.
 */
export function writeRatingFile(dir: string, name: string, rows: number, firstMinute: number, source = 'reliability'): string {
  const teams = ['AAA', 'BBB', 'CCC', 'DDD'];
  const base = Date.UTC(1990, 0, 1) + firstMinute * 60_000;
  const ndjson = name.endsWith('.ndjson');
  const lines: string[] = ndjson ? [] : ['feature,entity,timestamp,value,available_at,external_source'];
  for (let i = 0; i < rows; i++) {
    const ts = new Date(base + i * 60_000).toISOString();
    const value = ((firstMinute + i) % 997) / 10;
    lines.push(
      ndjson
        ? JSON.stringify({ feature: 'rating@1', entity: teams[i % 4], timestamp: ts, value, available_at: ts, external_source: source })
        : `rating@1,${teams[i % 4]},${ts},${value},${ts},${source}`,
    );
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
