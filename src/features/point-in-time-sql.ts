import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { RetrievalOptions } from './retrieval-spec.js';

/** One lookup: an entity (its features_historical entity_key) at a label time. */
export interface PointQuery {
  readonly key: string;
  readonly time: Date;
}

/** The value chosen for one lookup, with the times that justify it (null: none). */
export interface PointValue {
  readonly value: number;
  readonly timestamp: Date;
  readonly availableAt: Date;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** Lookups per statement: bounds memory and statement size on both engines. */
export const SQL_BATCH_SIZE = 5000;

/**
 * Point-in-time values of one feature for a list of (entity, time) lookups, in input order.
 * The one set-based statement behind every modest retrieval:
 *   1. lookups are unnested with their ordinal;
 *   2. for each, a LATERAL index scan over (feature_id, entity_key, timestamp, available_at)
 *      keeps rows with timestamp ≤ T (< T when strict), available_at ≤ T in known mode,
 *      recorded_at and available_at ≤ the knowledge cutoff when one is set, and
 *      timestamp > T − ttl;
 *   3. the latest timestamp wins; among corrections of that timestamp the latest
 *      available_at wins — never scan order ((feature, entity, timestamp, available_at) is
 *      unique, so this order is total and the unique index serves it directly).
 */
export async function pointInTimeSql(
  db: Executor,
  featureId: number,
  queries: readonly PointQuery[],
  options: RetrievalOptions,
): Promise<(PointValue | null)[]> {
  const out: (PointValue | null)[] = [];
  for (let start = 0; start < queries.length; start += SQL_BATCH_SIZE) {
    const batch = queries.slice(start, start + SQL_BATCH_SIZE);
    const keys = batch.map((q) => q.key);
    const times = batch.map((q) => q.time.toISOString());
    const timeBound = options.strict ? sql`h."timestamp" < q.t` : sql`h."timestamp" <= q.t`;
    const known = options.mode === 'known' ? sql`and h.available_at <= q.t` : sql``;
    const cutoff = options.knowledgeCutoff
      ? sql`and h.recorded_at <= ${options.knowledgeCutoff} and h.available_at <= ${options.knowledgeCutoff}`
      : sql``;
    const ttl =
      options.ttlMs != null ? sql`and h."timestamp" > q.t - (${options.ttlMs} * interval '1 millisecond')` : sql``;
    const { rows } = await sql<{ i: number; value: number | null; ts: Date | null; available_at: Date | null }>`
      select q.i::int as i, v.feature_value as value, v."timestamp" as ts, v.available_at
        from unnest(${keys}::text[], ${times}::timestamptz[]) with ordinality as q(key, t, i)
        left join lateral (
          select h.feature_value, h."timestamp", h.available_at
            from features_historical h
           where h.feature_id = ${featureId} and h.entity_key = q.key and ${timeBound} ${known} ${cutoff} ${ttl}
           order by h."timestamp" desc, h.available_at desc
           limit 1
        ) v on true
       order by q.i`.execute(db);
    for (const r of rows) {
      out.push(
        r.value === null || r.ts === null || r.available_at === null
          ? null
          : { value: r.value, timestamp: r.ts, availableAt: r.available_at },
      );
    }
  }
  return out;
}
