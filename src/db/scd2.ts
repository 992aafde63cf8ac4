import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.js';
import { VersioningError } from './errors.js';
import { translateDatabaseError } from './constraint-errors.js';

/**
 * The five SCD Type 2 tables and their business keys (trading-schema.md §0). Every one has
 * the surrogate `id` and the block `row_current_ind`, `row_start_ts`, `row_end_ts`,
 * `created_at`. The key lists are code constants, never user input, and reach SQL only
 * through Kysely's identifier quoting.
 */
export const SCD2_TABLES = {
  markets: ['market_id'],
  game_states: ['platform_id', 'external_game_id'],
  edges: ['edge_id'],
  positions: ['position_id'],
  account_balance: ['platform_id', 'currency'],
} as const;
export type Scd2Table = keyof typeof SCD2_TABLES;

/** Columns that belong to the version bookkeeping, not to the versioned content. */
const BOOKKEEPING = new Set(['id', 'row_current_ind', 'row_start_ts', 'row_end_ts', 'created_at']);

type Row<T extends Scd2Table> = Database[T] extends infer R ? { [K in keyof R]: unknown } : never;

/** The business key of a table: e.g. `{ market_id: 'KXNFL-…' }`. */
export type BusinessKey<T extends Scd2Table> = { readonly [K in (typeof SCD2_TABLES)[T][number]]: string };

/** A version's content: every column but the bookkeeping ones. */
export type VersionContent<T extends Scd2Table> = Record<string, unknown> & Partial<Row<T>>;

/** A selected version, as stored. */
export type Version = Record<string, unknown> & {
  id: number;
  row_current_ind: boolean;
  row_start_ts: Date;
  row_end_ts: Date | null;
  created_at: Date;
};

/** Options of a versioned write: `at` is the instant the change took effect. */
export interface VersionedWriteOptions {
  /** Default: the database's `clock_timestamp()`, read after the row lock is held. */
  readonly at?: Date;
}

// The table name is a parameter, which defeats Kysely's static typing; inside this module
// tables are seen as bags of columns, and the exported functions carry the real types.
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
type Executor = Kysely<Database> | Transaction<Database>;

function describeKey(table: Scd2Table, key: Record<string, unknown>): string {
  return `${table} ${SCD2_TABLES[table].map((k) => `${k}=${String(key[k])}`).join(', ')}`;
}

/** Runs `fn` in the caller's transaction, or in a new one if the caller has none. */
export async function inTransaction<T>(db: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}

/** JSON-typed values go to the driver as text; everything else as is. */
function toParam(value: unknown): unknown {
  if (value === null || value === undefined || value instanceof Date) return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** The versioned content of a row or change: bookkeeping columns and `undefined` (meaning "not given") dropped. */
function contentOf(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!BOOKKEEPING.has(k) && v !== undefined) out[k] = v;
  return out;
}

function selectKey(trx: AnyDb, table: Scd2Table, key: Record<string, unknown>) {
  let q = trx.selectFrom(table).selectAll();
  for (const col of SCD2_TABLES[table]) q = q.where(col, '=', key[col]);
  return q;
}

/**
 * Locks a business key, then its current row. The advisory lock comes first because a
 * row lock alone is not enough under READ COMMITTED: a writer blocked on the current row
 * wakes up to find that row closed and would see no current version at all; serialized
 * on the key instead, it reads the new current row with a fresh snapshot.
 */
async function lockCurrent(trx: AnyDb, table: Scd2Table, key: Record<string, unknown>): Promise<Version | undefined> {
  const keyText = [table, ...SCD2_TABLES[table].map((k) => String(key[k]))].join('\u001f');
  await sql`select pg_advisory_xact_lock(hashtextextended(${keyText}, 0))`.execute(trx);
  return (await selectKey(trx, table, key).where('row_current_ind', '=', true).forUpdate().executeTakeFirst()) as
    | Version
    | undefined;
}

async function resolveAt(trx: AnyDb, at: Date | undefined): Promise<Date> {
  if (at) return at;
  const { rows } = await sql<{ t: Date }>`select clock_timestamp() as t`.execute(trx);
  return rows[0]!.t;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/**
 * Locks a business key for the rest of the caller's transaction (the same lock every SCD2
 * write takes) and returns its current version, if any — for writes that must read the
 * current state before deciding (exits, settlements, heartbeats).
 */
export async function lockCurrentVersion<T extends Scd2Table>(
  trx: Transaction<Database>,
  table: T,
  key: BusinessKey<T>,
): Promise<Version | undefined> {
  return lockCurrent(trx as unknown as AnyDb, table, key);
}

/**
 * Inserts version 1 of a new business key, current from `at`.
 * Rejected (VersioningError) when the key already has a current version.
 */
export async function insertFirstVersion<T extends Scd2Table>(
  db: Executor,
  table: T,
  content: VersionContent<T>,
  options: VersionedWriteOptions = {},
): Promise<Version> {
  return guarded(() =>
    inTransaction(db, async (trx0) => {
      const trx = trx0 as unknown as AnyDb;
      const existing = await lockCurrent(trx, table, content);
      if (existing) {
        throw new VersioningError(`${describeKey(table, content)} already has a current version (id ${existing.id})`, {
          table,
          key: content,
        });
      }
      const at = await resolveAt(trx, options.at);
      return insertVersionRow(trx, table, content, at);
    }),
  );
}

async function insertVersionRow(trx: AnyDb, table: Scd2Table, content: Record<string, unknown>, at: Date) {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(contentOf(content))) values[k] = toParam(v);
  return (await trx
    .insertInto(table)
    .values({ ...values, row_current_ind: true, row_start_ts: at, row_end_ts: null })
    .returningAll()
    .executeTakeFirstOrThrow()) as Version;
}

/** True when `content` differs from the stored version — compared by PostgreSQL, by type. */
async function differs(trx: AnyDb, table: Scd2Table, current: Version, content: Record<string, unknown>) {
  const cols = Object.keys(content);
  if (cols.length === 0) return false;
  const left = sql.join(cols.map((c) => sql.ref(c)));
  const right = sql.join(cols.map((c) => sql`${toParam(content[c])}`));
  const { rows } = await sql<{ changed: boolean }>`
    select (row(${left}) is distinct from row(${right})) as changed
    from ${sql.table(table)} where id = ${current.id}`.execute(trx);
  return rows[0]?.changed === true;
}

/**
 * Applies a change to a business key as a new version (spec §0):
 * lock the current row, stop if nothing material changed (no empty versions), take one
 * instant `t`, close the current version at `t`, insert the new one from `t` — in one
 * transaction, so concurrent writers of the same key serialize and none is lost.
 * Rejected when the key has no current version, or when `t` is not after its start.
 * Returns the current version afterwards (the old one when nothing changed).
 */
export async function updateVersion<T extends Scd2Table>(
  db: Executor,
  table: T,
  key: BusinessKey<T>,
  changes: VersionContent<T>,
  options: VersionedWriteOptions = {},
): Promise<{ version: Version; changed: boolean }> {
  return guarded(() =>
    inTransaction(db, async (trx0) => {
      const trx = trx0 as unknown as AnyDb;
      const current = await lockCurrent(trx, table, key);
      if (!current) {
        throw new VersioningError(`${describeKey(table, key)} has no current version to update`, { table, key });
      }
      for (const col of SCD2_TABLES[table]) {
        if (col in changes && String((changes as Record<string, unknown>)[col]) !== String(current[col])) {
          throw new VersioningError(`${describeKey(table, key)}: the business key column ${col} cannot change`, {
            table,
            key,
            column: col,
          });
        }
      }
      const content = contentOf(changes);
      if (!(await differs(trx, table, current, content))) return { version: current, changed: false };
      const at = await resolveAt(trx, options.at);
      await closeRow(trx, table, key, current, at);
      const version = await insertVersionRow(trx, table, { ...contentOf(current), ...content }, at);
      return { version, changed: true };
    }),
  );
}

async function closeRow(trx: AnyDb, table: Scd2Table, key: Record<string, unknown>, current: Version, at: Date) {
  // Strictly after: closing a version at its own start would leave a zero-length version and
  // rewrite the as-of answer for that instant (the database refuses it too).
  if (at.getTime() <= current.row_start_ts.getTime()) {
    throw new VersioningError(
      `${describeKey(table, key)}: a change at ${at.toISOString()} is not after the current version's start ` +
        `${current.row_start_ts.toISOString()} (history cannot be rewritten)`,
      { table, key, at: at.toISOString(), currentStart: current.row_start_ts.toISOString() },
    );
  }
  await trx.updateTable(table).set({ row_current_ind: false, row_end_ts: at }).where('id', '=', current.id).execute();
}

/**
 * Inserts version 1, or applies the change as a new version when the key exists
 * (the shape of a poll: "this is what the market looks like now").
 */
export async function upsertVersion<T extends Scd2Table>(
  db: Executor,
  table: T,
  content: VersionContent<T> & BusinessKey<T>,
  options: VersionedWriteOptions = {},
): Promise<{ version: Version; changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const current = await lockCurrent(trx as unknown as AnyDb, table, content);
    if (!current) return { version: await insertFirstVersion(trx, table, content, options), changed: true };
    return updateVersion(trx, table, content, content, options);
  });
}

/**
 * Close-out (spec §0): the entity stops existing at `at`; the key then has no current row.
 */
export async function closeVersion<T extends Scd2Table>(
  db: Executor,
  table: T,
  key: BusinessKey<T>,
  options: VersionedWriteOptions = {},
): Promise<Version> {
  return guarded(() =>
    inTransaction(db, async (trx0) => {
      const trx = trx0 as unknown as AnyDb;
      const current = await lockCurrent(trx, table, key);
      if (!current) {
        throw new VersioningError(`${describeKey(table, key)} has no current version to close`, { table, key });
      }
      const at = await resolveAt(trx, options.at);
      await closeRow(trx, table, key, current, at);
      return { ...current, row_current_ind: false, row_end_ts: at };
    }),
  );
}

/**
 * The version of a key that was current at instant `t`:
 * `row_start_ts <= t AND (row_end_ts IS NULL OR row_end_ts > t)`. Undefined if none was.
 */
export async function asOf<T extends Scd2Table>(
  db: Executor,
  table: T,
  key: BusinessKey<T>,
  t: Date,
): Promise<Version | undefined> {
  return (await selectKey(db as unknown as AnyDb, table, key)
    .where('row_start_ts', '<=', t)
    .where((eb) => eb.or([eb('row_end_ts', 'is', null), eb('row_end_ts', '>', t)]))
    .executeTakeFirst()) as Version | undefined;
}

/** Every version of a key, oldest first. */
export async function history<T extends Scd2Table>(db: Executor, table: T, key: BusinessKey<T>): Promise<Version[]> {
  return (await selectKey(db as unknown as AnyDb, table, key)
    .orderBy('row_start_ts')
    .orderBy('id')
    .execute()) as Version[];
}
