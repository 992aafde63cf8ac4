import type { Session } from '../db/session.js';
import { scanFeatureHistory } from './history-copy.js';
import { PointInTimeMerge, type MergedColumn } from './point-in-time-merge.js';
import { pointInTimeSql } from './point-in-time-sql.js';
import { RetrievalError } from './errors.js';
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
  const request = { keys: queries.map((q) => q.key), times: queries.map((q) => q.time), options };
  return (await retrieveColumns(session, featureId, [request], threshold))[0]!;
}

/** One column to retrieve: lookups as parallel columns (a null key gets no value). */
export interface ColumnRequest {
  readonly keys: readonly (string | null)[];
  readonly times: readonly Date[];
  readonly options: RetrievalOptions;
}

/**
 * Several columns of one feature at once (e.g. the home and the away team's values): the
 * columns taking the merge path share ONE scan of the feature's history. All columns must
 * have the same knowledge cutoff (it filters the shared scan). Lookups come as parallel
 * arrays, so a million labels cost no million objects.
 */
export async function retrieveColumns(
  session: Session,
  featureId: number,
  columns: readonly ColumnRequest[],
  threshold = MERGE_THRESHOLD,
): Promise<MergedColumn[]> {
  const out: MergedColumn[] = [];
  const merges: { index: number; present: Int32Array; merge: PointInTimeMerge }[] = [];
  for (const [index, { keys, times, options }] of columns.entries()) {
    const presentList: number[] = [];
    keys.forEach((k, i) => k !== null && presentList.push(i));
    const present = Int32Array.from(presentList);
    out.push(emptyColumn(keys.length));
    if (present.length >= threshold) {
      const merge = new PointInTimeMerge(
        Array.from(present, (i) => keys[i]!),
        Float64Array.from(present, (i) => times[i]!.getTime() * 1000),
        options,
      );
      merges.push({ index, present, merge });
      continue;
    }
    const found = await pointInTimeSql(
      session.db,
      featureId,
      Array.from(present, (i) => ({ key: keys[i]!, time: times[i]! })),
      options,
    );
    const column = out[index]!;
    present.forEach((qi, j) => {
      const v = found[j];
      if (!v) return;
      column.value[qi] = v.value;
      column.tsUs[qi] = v.timestamp.getTime() * 1000;
      column.availUs[qi] = v.availableAt.getTime() * 1000;
    });
  }
  if (merges.length > 0) {
    const cutoffs = new Set(merges.map((m) => columns[m.index]!.options.knowledgeCutoff?.getTime() ?? null));
    if (cutoffs.size > 1) throw new RetrievalError('columns read in one scan must share a knowledge cutoff', { featureId });
    await scanFeatureHistory(session, featureId, columns[merges[0]!.index]!.options.knowledgeCutoff ?? null, (key, ts, avail, value) => {
      for (const m of merges) m.merge.add(key, ts, avail, value);
    });
    for (const { index, present, merge } of merges) {
      const merged = merge.finish();
      const column = out[index]!;
      present.forEach((qi, j) => {
        column.value[qi] = merged.value[j]!;
        column.tsUs[qi] = merged.tsUs[j]!;
        column.availUs[qi] = merged.availUs[j]!;
      });
    }
  }
  return out;
}

function emptyColumn(n: number): { value: Float64Array; tsUs: Float64Array; availUs: Float64Array } {
  return {
    value: new Float64Array(n).fill(Number.NaN),
    tsUs: new Float64Array(n).fill(Number.NaN),
    availUs: new Float64Array(n).fill(Number.NaN),
  };
}
