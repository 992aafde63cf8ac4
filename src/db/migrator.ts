import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Database } from './database.js';
import { SCRIPT_MARKER } from './engine.js';
import { MigrationError } from './errors.js';

/** Where the plain-SQL migrations live: `NNNN_name.sql`, applied in name order. */
export const MIGRATIONS_DIR = path.join(PACKAGE_ROOT, 'migrations');

/** Runs a multi-statement SQL script on either engine (inside the caller's transaction). */
export async function runScript(db: Kysely<Database>, script: string): Promise<void> {
  await sql.raw(`${SCRIPT_MARKER}\n${script}`).execute(db);
}

/**
 * Reads `migrations/*.sql` as Kysely migrations. Each file is one migration, run as one
 * script; Kysely's Migrator wraps each in a transaction and holds an advisory lock, so
 * concurrent `migrate` calls on a server serialize.
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string = MIGRATIONS_DIR) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(this.dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await fs.readFile(path.join(this.dir, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = { up: (db) => runScript(db, text) };
    }
    return migrations;
  }
}

function migratorFor(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: new SqlFileMigrationProvider() });
}

/** One migration's state for `precog db status`. */
export interface MigrationState {
  readonly name: string;
  readonly appliedAt: string | null;
}

/** Applies every pending migration in order; returns the names applied by this call. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const result: MigrationResultSet = await migratorFor(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`migration ${failed} failed: ${cause}`, { migration: failed }, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Every known migration, with when it was applied (null = pending). */
export async function migrationStatus(db: Kysely<Database>): Promise<MigrationState[]> {
  const infos = await migratorFor(db).getMigrations();
  return infos.map((m) => ({ name: m.name, appliedAt: m.executedAt ? m.executedAt.toISOString() : null }));
}
