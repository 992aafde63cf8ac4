import type { RetrievalOptions } from './retrieval-spec.js';

/** One stored value as the merge reads it: times in epoch microseconds. */
export interface HistoryRow {
  readonly key: string;
  readonly tsUs: number;
  readonly availUs: number;
  readonly value: number;
}

/** Chosen values for every lookup, columnar; NaN marks "no value". Times in epoch µs. */
export interface MergedColumn {
  readonly value: Float64Array;
  readonly tsUs: Float64Array;
  readonly availUs: Float64Array;
}

interface EntityLabels {
  /** Distinct label times of this entity, ascending (µs). */
  readonly times: Float64Array;
  /** For each distinct time, the lookup indexes at it (CSR layout). */
  readonly start: Int32Array;
  readonly members: Int32Array;
  /** Best row per time slot: index into the row store, -1 = none. */
  readonly best: Int32Array;
}

/**
 * The order-free point-in-time merge (DESIGN §4): the same answers as the SQL path, for
 * label sets too large for per-label index probes.
 *
 * Rows arrive in any order (a plain sequential scan). Each row becomes eligible at the
 * first label time T of its entity with timestamp ≤ T (< T when strict) and, in known-at
 * mode, available_at ≤ T; it competes for that slot only, keeping the greatest
 * (timestamp, available_at). One forward sweep per entity then carries the best eligible
 * row to every later label (eligibility only grows with T); a TTL nulls values older than
 * T − ttl. Memory is O(labels + kept rows), independent of the history's size. Cutoffs
 * (available_at ≤ cutoff) are applied by the caller's scan.
 */
export class PointInTimeMerge {
  readonly #entities = new Map<string, EntityLabels>();
  readonly #tsUs: number[] = [];
  readonly #availUs: number[] = [];
  readonly #values: number[] = [];

  /** Lookups as parallel columns (entity key, label time in µs): no object per lookup. */
  constructor(
    readonly keys: readonly string[],
    readonly timesUs: Float64Array,
    readonly options: Pick<RetrievalOptions, 'mode' | 'strict' | 'ttlMs'>,
  ) {
    const byKey = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const list = byKey.get(key);
      if (list) list.push(i);
      else byKey.set(key, [i]);
    });
    for (const [key, idx] of byKey) {
      idx.sort((a, b) => timesUs[a]! - timesUs[b]! || a - b);
      const times: number[] = [];
      const start: number[] = [];
      idx.forEach((qi, j) => {
        const t = timesUs[qi]!;
        if (j === 0 || t !== times[times.length - 1]) {
          times.push(t);
          start.push(j);
        }
      });
      start.push(idx.length);
      this.#entities.set(key, {
        times: Float64Array.from(times),
        start: Int32Array.from(start),
        members: Int32Array.from(idx),
        best: new Int32Array(times.length).fill(-1),
      });
    }
  }

  /** Offers one stored row. */
  add(key: string, tsUs: number, availUs: number, value: number): void {
    const entity = this.#entities.get(key);
    if (!entity) return;
    const { times } = entity;
    // First slot whose time admits the row: T ≥ ts (T > ts when strict), and T ≥ avail in known mode.
    let lo = 0;
    let hi = times.length;
    const strict = this.options.strict === true;
    const known = this.options.mode === 'known';
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = times[mid]!;
      const admits = (strict ? t > tsUs : t >= tsUs) && (!known || t >= availUs);
      if (admits) hi = mid;
      else lo = mid + 1;
    }
    if (lo === times.length) return;
    const current = entity.best[lo]!;
    if (current >= 0) {
      const cts = this.#tsUs[current]!;
      if (tsUs < cts || (tsUs === cts && availUs <= this.#availUs[current]!)) return;
    }
    entity.best[lo] = this.#tsUs.length;
    this.#tsUs.push(tsUs);
    this.#availUs.push(availUs);
    this.#values.push(value);
  }

  /** Sweeps every entity forward and returns the chosen value per lookup. */
  finish(): MergedColumn {
    const n = this.keys.length;
    const value = new Float64Array(n).fill(Number.NaN);
    const tsUs = new Float64Array(n).fill(Number.NaN);
    const availUs = new Float64Array(n).fill(Number.NaN);
    const ttlUs = this.options.ttlMs == null ? null : this.options.ttlMs * 1000;
    for (const entity of this.#entities.values()) {
      let carried = -1;
      for (let s = 0; s < entity.times.length; s++) {
        const candidate = entity.best[s]!;
        if (candidate >= 0) {
          if (
            carried < 0 ||
            this.#tsUs[candidate]! > this.#tsUs[carried]! ||
            (this.#tsUs[candidate] === this.#tsUs[carried] && this.#availUs[candidate]! > this.#availUs[carried]!)
          ) {
            carried = candidate;
          }
        }
        if (carried < 0) continue;
        const t = entity.times[s]!;
        if (ttlUs !== null && !(this.#tsUs[carried]! > t - ttlUs)) continue;
        for (let m = entity.start[s]!; m < entity.start[s + 1]!; m++) {
          const qi = entity.members[m]!;
          value[qi] = this.#values[carried]!;
          tsUs[qi] = this.#tsUs[carried]!;
          availUs[qi] = this.#availUs[carried]!;
        }
      }
    }
    return { value, tsUs, availUs };
  }
}
