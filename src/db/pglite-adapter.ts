import { PGlite, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { PGliteDialectConfig } from 'kysely';
import { SCRIPT_MARKER } from './engine.js';
import { PARSE_DATE_AS_STRING, PARSE_INT8_AS_NUMBER } from './type-parsers.js';

type KyselyPGlite = PGliteDialectConfig['pglite'] extends infer P
  ? P extends (...args: never[]) => unknown
    ? never
    : P
  : never;

const PGLITE_OIDS = { INT8: 20, DATE: 1082, NUMERIC: 1700 } as const;

/** Opens (or creates) a PGlite database with the extensions and parsers Precog needs. */
export async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { btree_gist },
    parsers: {
      [PGLITE_OIDS.INT8]: PARSE_INT8_AS_NUMBER,
      [PGLITE_OIDS.DATE]: PARSE_DATE_AS_STRING,
      // NUMERIC stays text: money and prices never pass through a float.
      [PGLITE_OIDS.NUMERIC]: (value: string) => value,
    },
  });
}

type QueryFn = PGlite['query'];

function scriptAware(target: { query: QueryFn; exec: PGlite['exec'] }): QueryFn {
  return (async (query: string, params?: unknown[], options?: Parameters<QueryFn>[2]) => {
    if (query.startsWith(SCRIPT_MARKER)) {
      const results = await target.exec(query, options);
      const last = results.at(-1);
      return last ?? { rows: [], fields: [], affectedRows: 0 };
    }
    return target.query(query, params, options);
  }) as QueryFn;
}

/**
 * The PGlite instance as Kysely's PGlite dialect sees it, with two additions:
 * multi-statement scripts (marked with {@link SCRIPT_MARKER}) run through `exec`, and the
 * transaction Kysely opens is remembered so that COPY (`/dev/blob`) can run inside it.
 */
export class PGliteKyselyAdapter implements KyselyPGlite {
  #current: PGliteTransaction | undefined;

  constructor(readonly pglite: PGlite) {}

  get closed(): boolean {
    return this.pglite.closed;
  }
  get ready(): boolean {
    return this.pglite.ready;
  }
  get waitReady(): Promise<void> {
    return this.pglite.waitReady;
  }
  /** The open transaction, if Kysely is inside one (its driver allows one at a time). */
  get currentTransaction(): PGliteTransaction | undefined {
    return this.#current;
  }

  query: QueryFn = (query, params, options) => scriptAware(this.pglite)(query, params, options);

  transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T> {
    return this.pglite.transaction(async (tx) => {
      this.#current = tx;
      try {
        // Delegate to the real transaction object, overriding only `query`.
        const wrapped = Object.assign(Object.create(tx) as PGliteTransaction, { query: scriptAware(tx) });
        return await callback(wrapped);
      } finally {
        this.#current = undefined;
      }
    });
  }

  // Kysely's destroy() would close the instance; PrecogDb owns its lifecycle instead.
  async close(): Promise<void> {}
}
