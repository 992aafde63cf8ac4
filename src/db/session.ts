import type { Readable } from 'node:stream';
import type { Transaction } from 'kysely';
import type { Database } from './database.js';

/** Data for a COPY … FROM STDIN: whole text/bytes, or a stream of chunks. */
export type CopySource = string | Uint8Array | Readable | AsyncIterable<Uint8Array | string>;

/**
 * One open transaction, with the engine's bulk path beside Kysely.
 *
 * `copyFrom` takes a `COPY <table> (<cols>) FROM STDIN …` statement (write it with
 * `FROM STDIN`; the PGlite engine rewrites it to its `/dev/blob` device) and streams the
 * data into the same transaction. `copyTo` runs `COPY (…) TO STDOUT …` and returns the
 * bytes, for the bulk read path.
 */
export interface Session {
  readonly db: Transaction<Database>;
  copyFrom(copySql: string, data: CopySource): Promise<number>;
  copyTo(copySql: string): AsyncIterable<Uint8Array>;
}
