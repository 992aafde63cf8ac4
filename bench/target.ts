import type { PrecogDb } from '../src/db/connection.js';
import type { Engine } from '../src/db/engine.js';

/** The database a scenario runs on: the benchmark's own, or a test's. */
export interface BenchTarget {
  readonly engine: Engine;
  readonly db: PrecogDb;
  /** The server database's URL (the `psql` reference needs it); undefined on PGlite. */
  readonly url: string | undefined;
}
