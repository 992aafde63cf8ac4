import { PrecogError } from '../errors.js';
import { CONSTRAINT_RULES } from './constraint-rules.js';
import { ConstraintViolationError } from './errors.js';

/** The fields PostgreSQL (server or PGlite) attaches to an error. */
interface PgErrorFields {
  code?: string;
  table?: string;
  constraint?: string;
  column?: string;
  detail?: string;
  message: string;
}

const KINDS: Record<string, string> = {
  '23505': 'duplicate key',
  '23503': 'missing reference',
  // PostgreSQL 18 (PGlite) reports a blocked ON DELETE RESTRICT as 23001; 15 as 23503.
  '23001': 'still referenced',
  '23514': 'check failed',
  '23P01': 'overlapping versions',
  '23502': 'missing value',
  '22003': 'number out of range',
  '22001': 'value too long',
  '22P02': 'invalid value',
  '22007': 'invalid date/time',
  '22008': 'date/time out of range',
  P0001: 'rule',
  // Precog's own triggers (migration 0001): immutable column, closed version, delete, append-only.
  PR001: 'rule',
  PR002: 'rule',
  PR003: 'rule',
  PR004: 'rule',
  // Migration 0004: truncate, a version not after an existing one.
  PR005: 'rule',
  PR006: 'rule',
  // Migration 0005: a recorded_at not set by the database, or inside a pinned knowledge cutoff.
  PR010: 'rule',
};

function isPgError(error: unknown): error is PgErrorFields {
  return error instanceof Error && typeof (error as PgErrorFields).code === 'string';
}

/**
 * Maps a PostgreSQL integrity error to a {@link ConstraintViolationError} whose message
 * names the table, the key (from the server's detail) and the violated rule in words;
 * anything else passes through unchanged.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof PrecogError || !isPgError(error)) return error;
  const kind = error.code ? KINDS[error.code] : undefined;
  if (!kind) return error;
  const constraint = error.constraint;
  const rule = (constraint && CONSTRAINT_RULES[constraint]) ?? error.message;
  const table = error.table ?? 'database';
  const detail = error.detail ? ` (${error.detail})` : '';
  const column = error.column ? ` column ${error.column}:` : '';
  const message =
    kind === 'rule' ? `${error.message}${detail}` : `${table}:${column} ${kind}: ${rule}${detail}`;
  return new ConstraintViolationError(
    message,
    { table, constraint, column: error.column, sqlstate: error.code, detail: error.detail },
    { cause: error },
  );
}
