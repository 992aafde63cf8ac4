import { sql, type Kysely, type Transaction } from 'kysely';
import { translateDatabaseError } from '../../db/constraint-errors.js';
import type { Database } from '../../db/database.js';
import { ConstraintViolationError } from '../../db/errors.js';
import { updateVersion, type BusinessKey, type Scd2Table, type Version } from '../../db/scd2.js';

/** Where a trading function runs: the database, or a transaction the caller opened. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Runs a write and maps any database error through `translateDatabaseError`. A
 * constraint violation is re-raised with `context` (table and key of the operation, e.g.
 * `positions position_id=POS-1`) in front of the translated message, so the message
 * names the key even when PostgreSQL's own detail does not.
 */
export async function guardedWrite<T>(context: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const translated = translateDatabaseError(error);
    if (translated instanceof ConstraintViolationError && !translated.message.startsWith(context)) {
      throw new ConstraintViolationError(
        `${context}: ${translated.message}`,
        { ...translated.facts, context },
        { cause: translated.cause ?? error },
      );
    }
    throw translated;
  }
}

/** `at`, or the database's `clock_timestamp()`: one instant shared by every row of a write. */
export async function resolveInstant(db: Executor, at: Date | undefined): Promise<Date> {
  if (at) return at;
  const { rows } = await sql<{ t: Date }>`select clock_timestamp() as t`.execute(db);
  return rows[0]!.t;
}

/**
 * Locks a business key of an SCD2 table for the rest of `trx` and returns its current
 * version (a VersioningError when there is none). It is `updateVersion` with no changes,
 * which takes the same key lock every SCD2 writer takes and writes nothing, so the caller
 * can read the current row, decide, and then write without racing another writer.
 */
export async function lockCurrentVersion<T extends Scd2Table>(
  trx: Transaction<Database>,
  table: T,
  key: BusinessKey<T>,
): Promise<Version> {
  return (await updateVersion(trx, table, key, {})).version;
}
