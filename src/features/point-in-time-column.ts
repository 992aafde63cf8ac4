import type { Session } from '../db/session.js';
import { scanFeatureHistory } from './history-copy.js';
import { PointInTimeMerge, type MergedColumn } from './point-in-time-merge.js';
import { pointInTimeSql, type PointQuery } from './point-in-time-sql.js';
import type { RetrievalOptions } from './retrieval-spec.js';

/**
 * Lookups at or above this count use the streaming merge (one sequential scan of the
 * feature's history); below it, per-lookup index probes in SQL are cheaper.
 */
export const MERGE_THRESHOLD = 2000;

/** One lookup; a null key (e.g. a label without a team) gets no value. */
export interface ColumnQuery {
  readonly key: string | null;
  readonly time: Date;
}

/**
 * Point-in-time values of one feature for many lookups, columnar (NaN = no value; times in
 * epoch µs), by whichever path suits the size: set-based SQL (`pointInTimeSql`) for modest
 * sets, the streaming merge (`PointInTimeMerge` over a binary COPY scan) for large ones.
 * Both follow the same rules; tests hold them equal.
 */
export async function retrieveColumn(
  session: Session,
  featureId: number,
  queries: readonly ColumnQuery[],
  options: RetrievalOptions,
  threshold = MERGE_THRESHOLD,
): Promise<MergedColumn> {
  const n = queries.length;
  const present: number[] = [];
  queries.forEach((q, i) => q.key !== null && present.push(i));
  if (present.length >= threshold) {
    const merge = new PointInTimeMerge(
      present.map((i) => ({ key: queries[i]!.key!, timeUs: queries[i]!.time.getTime() * 1000 })),
      options,
    );
    await scanFeatureHistory(session, featureId, options.knowledgeCutoff ?? null, (key, ts, avail, value) =>
      merge.add(key, ts, avail, value),
    );
    const merged = merge.finish();
    const out = emptyColumn(n);
    present.forEach((qi, j) => {
      out.value[qi] = merged.value[j]!;
      out.tsUs[qi] = merged.tsUs[j]!;
      out.availUs[qi] = merged.availUs[j]!;
    });
    return out;
  }
  const sqlQueries: PointQuery[] = present.map((i) => ({ key: queries[i]!.key!, time: queries[i]!.time }));
  const found = await pointInTimeSql(session.db, featureId, sqlQueries, options);
  const out = emptyColumn(n);
  present.forEach((qi, j) => {
    const v = found[j];
    if (!v) return;
    out.value[qi] = v.value;
    out.tsUs[qi] = v.timestamp.getTime() * 1000;
    out.availUs[qi] = v.availableAt.getTime() * 1000;
  });
  return out;
}

function emptyColumn(n: number): { value: Float64Array; tsUs: Float64Array; availUs: Float64Array } {
  return {
    value: new Float64Array(n).fill(Number.NaN),
    tsUs: new Float64Array(n).fill(Number.NaN),
    availUs: new Float64Array(n).fill(Number.NaN),
  };
}
