import { z } from 'zod';
import { RetrievalError } from './errors.js';

/**
 * How a value is chosen for a label at time T:
 * - `event`: the latest value with timestamp ≤ T; among values of that timestamp the
 *   latest correction (by available_at, then id) wins — "the value at T";
 * - `known`: the same, over rows with available_at ≤ T only — "what we knew at T".
 */
export const RETRIEVAL_MODES = ['event', 'known'] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];
export const RetrievalModeSchema = z.enum(RETRIEVAL_MODES);

/** Options shared by every point-in-time read. */
export interface RetrievalOptions {
  readonly mode: RetrievalMode;
  /** `true`: timestamp < T (the label says the value at T itself is too late). */
  readonly strict?: boolean;
  /** Values older than this (T − timestamp > ttl) are null. */
  readonly ttlMs?: number | null;
  /**
   * Only rows recorded by the database and available by the cutoff exist (recorded_at ≤
   * cutoff and available_at ≤ cutoff): pins a dataset to a knowledge state that no later
   * ingest, backfills included, can change.
   */
  readonly knowledgeCutoff?: Date | null;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** The longest duration accepted, 1000 years: longer ones overflow PostgreSQL's intervals and timestamps. */
export const MAX_DURATION_MS = 1000 * 365.25 * 86_400_000;

/**
 * Parses a duration such as `30d`, `12h`, `90m`, `45s`, `2w` or `0h` into milliseconds;
 * `what` names it in the error (e.g. "TTL", "label offset").
 */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) throw new RetrievalError(`${what} "${text}" is not a duration like 30d, 12h, 90m, 45s or 2w`, { [what]: text });
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (!(ms <= MAX_DURATION_MS)) throw new RetrievalError(`${what} "${text}" is too large (at most 1000 years)`, { [what]: text });
  return ms;
}

/** Parses a TTL (a positive duration, see {@link parseDuration}). */
export function parseTtl(text: string): number {
  const ms = parseDuration(text, 'TTL');
  if (!(ms > 0)) throw new RetrievalError(`TTL "${text}" must be positive`, { ttl: text });
  return ms;
}
