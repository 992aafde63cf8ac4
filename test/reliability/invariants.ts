import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import type { PrecogDb } from '../../src/db/connection.js';
import { SCD2_TABLES } from '../../src/db/scd2.js';
import { listDatasets } from '../../src/datasets/dataset-registry.js';

/** Row count of a table. */
export async function count(db: PrecogDb, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db.db);
  return rows[0]!.n;
}

/** How many rows features_historical holds and its highest id (0 when empty). */
export async function featuresWatermark(db: PrecogDb): Promise<{ rows: number; lastId: number }> {
  const { rows } = await sql<{ n: number; last: number }>`
    select count(*)::int as n, coalesce(max(id), 0)::int8 as last from features_historical`.execute(db.db);
  return { rows: rows[0]!.n, lastId: Number(rows[0]!.last) };
}

/**
 * SCD Type 2 invariants of all five versioned tables, as a list of violations (empty when
 * they hold): every business key has exactly one current version, and a key's versions,
 * in start order, never overlap (each ends at or before the next one's start; only the
 * last may be open).
 */
export async function scd2Violations(db: PrecogDb): Promise<string[]> {
  const out: string[] = [];
  for (const [table, keyColumns] of Object.entries(SCD2_TABLES)) {
    const keys = sql.join(keyColumns.map((c) => sql.ref(c)));
    const { rows: current } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select count(*) filter (where row_current_ind) as c from ${sql.table(table)} group by ${keys}
      ) k where c <> 1`.execute(db.db);
    if (current[0]!.n > 0) out.push(`${table}: ${current[0]!.n} keys without exactly one current version`);
    const { rows: overlaps } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select row_start_ts,
               lag(row_end_ts) over w as prev_end,
               lag(row_current_ind) over w as prev_current
          from ${sql.table(table)}
        window w as (partition by ${keys} order by row_start_ts, id)
      ) v where prev_current or prev_end > row_start_ts`.execute(db.db);
    if (overlaps[0]!.n > 0) out.push(`${table}: ${overlaps[0]!.n} versions overlapping the one before`);
  }
  return out;
}

/**
 * Heap and index agree on the tables the crash tests write: the same count through a
 * sequential scan and through an index-only path (a torn write would show up as a
 * difference, or as an error reading a damaged page).
 */
export async function heapIndexViolations(db: PrecogDb): Promise<string[]> {
  return db.transaction(async ({ db: trx }) => {
    const out: string[] = [];
    const probes = [
      ['features_historical', sql`select count(*)::int as n from features_historical where feature_id > 0`],
      ['markets', sql`select count(*)::int as n from markets where market_id > ''`],
      ['training_datasets', sql`select count(*)::int as n from training_datasets where dataset_name > ''`],
    ] as const;
    for (const [table, query] of probes) {
      await sql`set local enable_seqscan = on`.execute(trx);
      await sql`set local enable_indexscan = off`.execute(trx);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      await sql`set local enable_indexonlyscan = off`.execute(trx);
      const heap = (await query.execute(trx)).rows as { n: number }[];
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_indexscan = on`.execute(trx);
      await sql`set local enable_bitmapscan = on`.execute(trx);
      await sql`set local enable_indexonlyscan = on`.execute(trx);
      const index = (await query.execute(trx)).rows as { n: number }[];
      if (heap[0]!.n !== index[0]!.n) out.push(`${table}: ${heap[0]!.n} rows by heap scan, ${index[0]!.n} by index`);
    }
    return out;
  });
}

/** The sha256 of a file, hex. */
export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Registered datasets whose file is missing or does not hash to the registered sha256. */
export async function datasetViolations(db: PrecogDb): Promise<string[]> {
  const out: string[] = [];
  for (const d of await listDatasets(db.db)) {
    const ref = `${d.dataset_name}@${d.dataset_version}`;
    const file = d.metadata.file_path;
    if (!fs.existsSync(file)) out.push(`${ref}: registered, but ${file} is missing`);
    else if (sha256File(file) !== d.metadata.sha256) out.push(`${ref}: ${file} does not match the registered sha256`);
  }
  return out;
}

/** Every invariant the crash and concurrency suites check after each event. */
export async function allViolations(db: PrecogDb): Promise<string[]> {
  return [...(await scd2Violations(db)), ...(await heapIndexViolations(db)), ...(await datasetViolations(db))];
}
