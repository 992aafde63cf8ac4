import { sql, type Transaction } from 'kysely';
import type { Database } from '../src/db/database.js';
import { applyVersionUpdates } from '../src/db/scd2-batch.js';
import { createRandom } from './random.js';
import type { BenchScale } from './scale.js';
import type { BenchTarget } from './target.js';

/** One update of the workload: a market's prices changing at `at`. */
export interface PriceUpdate {
  readonly marketId: string;
  readonly yesPrice: string;
  readonly noPrice: string;
  readonly at: Date;
}

/** The table the plain-UPDATE reference writes: the current markets' columns and a unique key. */
export const PLAIN_TABLE = 'bench_plain_markets';
const EVENT_ID = 'BENCH-SCD2';
const T0 = Date.UTC(2024, 0, 1);

export function marketId(k: number): string {
  return `BENCH-M${String(k).padStart(5, '0')}`;
}

function price(n: number): string {
  return (n / 10_000).toFixed(4);
}

/**
 * The workload as batches: round r (1 …) changes every key once, in a seeded order, at
 * T0 + r seconds; consecutive prices of a key always differ, so every update is a version.
 */
export function scd2Batches(scale: BenchScale): PriceUpdate[][] {
  const random = createRandom(scale.seed + 3);
  const rounds = Math.ceil(scale.scd2Updates / scale.scd2Keys);
  const batches: PriceUpdate[][] = [];
  let left = scale.scd2Updates;
  for (let r = 1; r <= rounds; r++) {
    const keys = Array.from({ length: scale.scd2Keys }, (_, k) => k);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = random.int(0, i + 1);
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    const at = new Date(T0 + r * 1000);
    const batch = keys.slice(0, Math.min(keys.length, left)).map((k) => {
      const yes = ((k * 7919 + r * 104_729) % 9800) + 100;
      return { marketId: marketId(k), yesPrice: price(yes), noPrice: price(10_000 - yes), at };
    });
    left -= batch.length;
    batches.push(batch);
  }
  return batches;
}

/**
 * Seeds the keys (untimed): one event, version 1 of every market from T0, and the plain
 * table as a copy of those current rows with a unique index on market_id.
 */
export async function seedScd2(target: BenchTarget, scale: BenchScale): Promise<void> {
  const db = target.db.db;
  await db
    .insertInto('events')
    .values({ event_id: EVENT_ID, platform_id: 'kalshi', external_id: EVENT_ID, category: 'sports', title: 'SCD2 benchmark' })
    .execute();
  const start = new Date(T0);
  for (let from = 0; from < scale.scd2Keys; from += 1000) {
    const keys = Array.from({ length: Math.min(1000, scale.scd2Keys - from) }, (_, i) => from + i);
    await db
      .insertInto('markets')
      .values(
        keys.map((k) => ({
          market_id: marketId(k),
          platform_id: 'kalshi',
          event_id: EVENT_ID,
          external_id: marketId(k),
          title: `benchmark market ${k}`,
          market_type: 'binary',
          status: 'open',
          yes_price: '0.5000',
          no_price: '0.5000',
          row_current_ind: true,
          row_start_ts: start,
        })),
      )
      .execute();
  }
  await sql`drop table if exists ${sql.table(PLAIN_TABLE)}`.execute(db);
  await sql`create table ${sql.table(PLAIN_TABLE)} as select * from markets where row_current_ind`.execute(db);
  await sql`create unique index ${sql.raw(PLAIN_TABLE)}_market_id_key on ${sql.table(PLAIN_TABLE)} (market_id)`.execute(db);
}

/** The reference: one set-based `UPDATE … SET … FROM unnest(…)` per batch. */
export async function plainUpdate(trx: Transaction<Database>, batch: readonly PriceUpdate[]): Promise<void> {
  await sql`
    update ${sql.table(PLAIN_TABLE)} p
       set yes_price = v.yes, no_price = v.no
      from unnest(${batch.map((u) => u.marketId)}::text[], ${batch.map((u) => u.yesPrice)}::numeric[],
                  ${batch.map((u) => u.noPrice)}::numeric[]) as v(k, yes, no)
     where p.market_id = v.k`.execute(trx);
}

/** Which Precog write path {@link precogUpdate} uses. */
export function scd2WritePath(): string {
  return 'applyVersionUpdates';
}

/** Precog's write path for one batch, inside the caller's transaction: the batched SCD2 API. */
export async function precogUpdate(trx: Transaction<Database>, batch: readonly PriceUpdate[]): Promise<void> {
  await applyVersionUpdates(
    trx,
    'markets',
    batch.map((u) => ({ key: { market_id: u.marketId }, changes: { yes_price: u.yesPrice, no_price: u.noPrice }, at: u.at })),
  );
}

/**
 * Compares the SCD2 table with the plain one after the workload: current versions whose
 * prices differ from (or are missing in) the plain table, and the number of versions.
 */
export async function scd2FinalState(target: BenchTarget): Promise<{ differences: number; versions: number; current: number }> {
  const { rows } = await sql<{ differences: number; versions: number; current: number }>`
    select
      (select count(*) from (
         select market_id, yes_price, no_price from markets where row_current_ind and event_id = ${EVENT_ID}
         except all select market_id, yes_price, no_price from ${sql.table(PLAIN_TABLE)}) d)::int +
      (select count(*) from (
         select market_id, yes_price, no_price from ${sql.table(PLAIN_TABLE)}
         except all select market_id, yes_price, no_price from markets where row_current_ind and event_id = ${EVENT_ID}) e)::int
        as differences,
      (select count(*) from markets where event_id = ${EVENT_ID})::int as versions,
      (select count(*) from markets where event_id = ${EVENT_ID} and row_current_ind)::int as current`.execute(target.db.db);
  return rows[0]!;
}
