import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.js';
import { VersioningError } from './errors.js';
import { translateDatabaseError } from './constraint-errors.js';
import { inTransaction, SCD2_TABLES, type BusinessKey, type Scd2Table, type VersionContent } from './scd2.js';

/** One change in a batch: the key, the columns that change, and when (optional). */
export interface VersionUpdate<T extends Scd2Table> {
  readonly key: BusinessKey<T>;
  readonly changes: VersionContent<T>;
  readonly at?: Date;
}

/** What a batch did. */
export interface BatchReport {
  readonly updates: number;
  readonly versionsWritten: number;
  readonly unchanged: number;
  readonly keys: number;
}

type DynamicDb = Kysely<Record<string, Record<string, unknown>>>;
type Executor = Kysely<Database> | Transaction<Database>;

const BOOKKEEPING = new Set(['id', 'row_current_ind', 'row_start_ts', 'row_end_ts', 'created_at']);
const INSERT_CHUNK = 1000;

/** Normalizes a value for "did it change" by its PostgreSQL type (numeric text, json, time). */
function normalizer(dataType: string): (v: unknown) => string {
  if (dataType === 'numeric') {
    return (v) => (v === null || v === undefined ? 'null' : String(Number(v)));
  }
  if (dataType === 'jsonb' || dataType === 'json') {
    return (v) => {
      const parsed: unknown = typeof v === 'string' ? JSON.parse(v) : v;
      return JSON.stringify(sortKeys(parsed));
    };
  }
  if (dataType.startsWith('timestamp')) {
    return (v) => (v === null || v === undefined ? 'null' : new Date(v as string | Date).toISOString());
  }
  return (v) => (v === null || v === undefined ? 'null' : String(v));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

const toParam = (v: unknown) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v);

/**
 * Applies many SCD2 changes at once, with the same rules as `updateVersion` but set-based:
 * every key of the batch is locked (advisory lock, in key order, so concurrent batches
 * cannot deadlock), the current versions are read in one query, each key's changes are
 * chained in order (a change that alters nothing material is skipped), the current rows
 * are closed with one UPDATE and all new versions are inserted in chunks of multi-row
 * INSERTs — each closed at the next version's start, the last one current. One
 * transaction; the database's constraints still check every version. Updates without `at`
 * take the clock time read once the locks are held. Several changes of one key at the same
 * instant fold into one version (the later changes applied over the earlier ones): a version
 * ends strictly after it starts, so an as-of read at that instant has one answer. Rejected
 * whole when a key has no current version, or a change is dated before its key's current
 * version (or at its very start).
 */
export async function applyVersionUpdates<T extends Scd2Table>(
  db: Executor,
  table: T,
  updates: readonly VersionUpdate<T>[],
): Promise<BatchReport> {
  const keyCols = SCD2_TABLES[table] as readonly string[];
  const keyText = (k: Record<string, unknown>) => keyCols.map((c) => String(k[c])).join('\u001f');
  const byKey = new Map<string, VersionUpdate<T>[]>();
  for (const u of updates) {
    const k = keyText(u.key);
    const list = byKey.get(k);
    if (list) list.push(u);
    else byKey.set(k, [u]);
  }
  const keys = [...byKey.keys()].sort();
  try {
    return await inTransaction(db, async (trx0) => {
      const trx = trx0 as unknown as DynamicDb;
      await sql`select pg_advisory_xact_lock(hashtextextended(${table} || chr(31) || k, 0))
                  from unnest(${keys}::text[]) as k order by k`.execute(trx);
      const { rows: types } = await sql<{ column_name: string; data_type: string }>`
        select column_name, data_type from information_schema.columns
         where table_schema = current_schema() and table_name = ${table}`.execute(trx);
      const norm = new Map(types.map((t) => [t.column_name, normalizer(t.data_type)]));
      // Read after the locks: a batch that waited for another starts after it ended.
      const { rows: nowRows } = await sql<{ t: Date }>`select clock_timestamp() as t`.execute(trx);
      const now = nowRows[0]!.t;

      const currentRows = await sql<Record<string, unknown>>`
        select t.* from ${sql.table(table)} t
         where t.row_current_ind
           and array_to_string(array[${sql.join(keyCols.map((c) => sql`t.${sql.ref(c)}::text`))}], chr(31)) = any(${keys}::text[])`.execute(trx);
      const currentByKey = new Map(currentRows.rows.map((r) => [keyText(r), r]));

      const closes: { id: number; at: Date }[] = [];
      const inserts: Record<string, unknown>[] = [];
      let unchanged = 0;
      for (const k of keys) {
        const cur = currentByKey.get(k);
        const list = byKey.get(k)!;
        if (!cur) {
          throw new VersioningError(`${table} ${k.replace(/\u001f/g, ', ')} has no current version to update`, { table, key: k });
        }
        let state: Record<string, unknown> = Object.fromEntries(Object.entries(cur).filter(([c]) => !BOOKKEEPING.has(c)));
        let start = cur['row_start_ts'] as Date;
        const chain: { content: Record<string, unknown>; at: Date }[] = [];
        for (const u of list) {
          const at = u.at ?? now;
          if (at.getTime() < start.getTime()) {
            throw new VersioningError(
              `${table} ${k.replace(/\u001f/g, ', ')}: a change at ${at.toISOString()} is before the current version's start ${start.toISOString()}`,
              { table, key: k },
            );
          }
          const next = { ...state, ...(u.changes as Record<string, unknown>) };
          const changed = Object.keys(u.changes).some((c) => {
            const n = norm.get(c) ?? normalizer('text');
            return n(next[c]) !== n(state[c]);
          });
          if (!changed) {
            unchanged += 1;
            continue;
          }
          const last = chain.at(-1);
          if (last?.at.getTime() === at.getTime()) {
            last.content = next;
          } else {
            if (!last && at.getTime() === start.getTime()) {
              throw new VersioningError(
                `${table} ${k.replace(/\u001f/g, ', ')}: a change at ${at.toISOString()} is not after the current version's start ` +
                  `(a version ends strictly after it starts; history cannot be rewritten)`,
                { table, key: k },
              );
            }
            chain.push({ content: next, at });
          }
          state = next;
          start = at;
        }
        if (chain.length === 0) continue;
        closes.push({ id: cur['id'] as number, at: chain[0]!.at });
        chain.forEach((v, i) => {
          const end = chain[i + 1]?.at ?? null;
          const row: Record<string, unknown> = {};
          for (const [c, value] of Object.entries(v.content)) row[c] = toParam(value);
          inserts.push({ ...row, row_current_ind: end === null, row_start_ts: v.at, row_end_ts: end });
        });
      }
      if (closes.length > 0) {
        await sql`update ${sql.table(table)} t set row_current_ind = false, row_end_ts = c.at
                    from unnest(${closes.map((c) => c.id)}::bigint[], ${closes.map((c) => c.at.toISOString())}::timestamptz[]) as c(id, at)
                   where t.id = c.id`.execute(trx);
      }
      for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
        await trx.insertInto(table).values(inserts.slice(i, i + INSERT_CHUNK)).execute();
      }
      return { updates: updates.length, versionsWritten: inserts.length, unchanged, keys: keys.length };
    });
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
