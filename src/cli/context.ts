import { openDatabase, resolveDatabaseConfig, type PrecogDb } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { UsageError } from './output.js';

/** Options every database command accepts. */
export interface DbCommandOptions {
  readonly wait?: string;
}

/** `--wait <seconds>`: a number of seconds ≥ 0 (a word would wait forever, or not at all). */
export function parseWaitSeconds(text: string): number {
  const seconds = text.trim() === '' ? Number.NaN : Number(text);
  if (!(Number.isFinite(seconds) && seconds >= 0)) throw new UsageError(`--wait must be a number of seconds >= 0, not "${text}"`);
  return seconds;
}

/**
 * Opens the configured database (DATABASE_URL, else the embedded one under
 * $PRECOG_HOME), brings the schema up to date, runs `fn`, and always closes it —
 * an open PGlite keeps the process alive and holds the directory lock.
 */
export async function withDatabase<T>(
  options: DbCommandOptions,
  fn: (db: PrecogDb) => Promise<T>,
  { migrate = true }: { migrate?: boolean } = {},
): Promise<T> {
  const waitSeconds = options.wait === undefined ? 0 : parseWaitSeconds(options.wait);
  const db = await openDatabase(
    resolveDatabaseConfig(process.env, {
      waitSeconds,
      // Waiting silently looks like a hang: say whom we wait for, and for how long at most.
      onWait: (holder) =>
        process.stderr.write(
          `precog: waiting up to ${waitSeconds} s for pid ${holder.pid} (${holder.command || 'unknown command'}) ` +
            `to release the embedded database\n`,
        ),
    }),
  );
  try {
    if (migrate) await migrateToLatest(db.db);
    return await fn(db);
  } finally {
    await db.close();
  }
}
