import { sql } from 'kysely';
import type { Session } from '../../db/session.js';
import { InvalidInputError, MAX_REPORTED_PROBLEMS, type InputProblem } from '../../errors.js';
import type { CsvTableResult, RejectedRow } from '../../entities/nfl/csv-table.js';
import { rejectedRowsOf } from './rejected-rows-csv.js';

/** What an importer does with invalid rows: reject the file (default) or skip them. */
export interface RowPolicy {
  /** `true`: import the valid rows and report the rejected ones; `false`: any bad row rejects the file. */
  readonly skipInvalid?: boolean;
}

/** The rows an import goes ahead with, and the ones it set aside. */
export interface SettledRows<T> {
  readonly valid: readonly T[];
  readonly rejected: readonly RejectedRow[];
}

/**
 * Applies the row policy to a parsed file plus the problems found after parsing
 * (duplicates, …). Strict: any problem throws one {@link InvalidInputError} naming file,
 * line, column and value (first {@link MAX_REPORTED_PROBLEMS}, all counted) — nothing is
 * imported. Skipping: rows with a problem are set aside, the others go ahead.
 */
export function settleRows<T extends { readonly line: number }>(
  source: string,
  parsed: CsvTableResult<T>,
  extraProblems: readonly InputProblem[],
  policy: RowPolicy,
): SettledRows<T> {
  const rejected = [...parsed.rejected, ...rejectedRowsOf(extraProblems)].sort((a, b) => a.line - b.line);
  if (rejected.length > 0 && !policy.skipInvalid) throw rowsError(source, rejected);
  const bad = new Set(rejected.map((r) => r.line));
  return { valid: parsed.valid.filter((row) => !bad.has(row.line)), rejected };
}

/** One {@link InvalidInputError} for rejected rows. */
export function rowsError(source: string, rejected: readonly RejectedRow[]): InvalidInputError {
  const problems = rejected.flatMap((r) => r.problems);
  return new InvalidInputError(source, problems.slice(0, MAX_REPORTED_PROBLEMS), problems.length);
}

/**
 * A problem for every row whose `key` repeats an earlier row's (the later row is the
 * duplicate), reported on `column`.
 */
export function duplicateProblems<T extends { readonly line: number }>(
  source: string,
  rows: readonly T[],
  key: (row: T) => string,
  column: string,
  what: (row: T) => string,
): InputProblem[] {
  const first = new Map<string, number>();
  const problems: InputProblem[] = [];
  for (const row of rows) {
    const k = key(row);
    const line = first.get(k);
    if (line === undefined) first.set(k, row.line);
    else problems.push({ file: source, line: row.line, column, value: what(row), reason: `the same game is on line ${line}` });
  }
  return problems;
}

/**
 * Serializes NFL imports (and Elo runs) on one transaction-scoped advisory lock: each reads
 * the events table and then writes events and features from what it read.
 */
export async function lockNflImports(session: Session): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('precog:nfl-import', 0))`.execute(session.db);
}

/** The first and last season of some games (null for none). */
export function seasonRange(games: readonly { readonly season: number }[]): { first: number; last: number } | null {
  if (games.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const { season } of games) {
    first = Math.min(first, season);
    last = Math.max(last, season);
  }
  return { first, last };
}
