import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach } from 'vitest';
import type { PrecogDb } from '../../src/db/connection.js';
import type { Sport } from '../../src/db/tables/check-values.js';

/** Inserts NFL-like teams by code; returns code → team_id. */
export async function seedTeams(db: PrecogDb, codes: readonly string[], sport: Sport = 'nfl'): Promise<Map<string, number>> {
  const rows = await db.db
    .insertInto('teams')
    .values(codes.map((code) => ({ sport, code, name: `Team ${code}`, aliases: [`${code}-alias`] })))
    .returning(['team_id', 'code'])
    .execute();
  return new Map(rows.map((r) => [r.code, r.team_id]));
}

/** Inserts bare events (on the kalshi platform) by id. */
export async function seedEvents(db: PrecogDb, ids: readonly string[]): Promise<void> {
  await db.db
    .insertInto('events')
    .values(
      ids.map((id) => ({ event_id: id, platform_id: 'kalshi', external_id: id, category: 'sports' as const, title: id })),
    )
    .execute();
}

/** Row count of a table (for "the database is unchanged" checks). */
export async function countRows(db: PrecogDb, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db.db);
  return rows[0]!.n;
}

/**
 * A maker of temporary directories for one test file, each removed after the test that made
 * it: call it inside a `describe`, then `const dir = root()` in a test.
 */
export function tempDirsPerTest(prefix: string): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = tempDir(prefix);
    made.push(dir);
    return dir;
  };
}

/** A fresh temporary directory, removed by the caller's cleanup. */
export function tempDir(prefix = 'precog-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `content` to `name` inside `dir` and returns the path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** A minimal valid team feature definition. */
export function teamFeature(name: string, version = '1', extra: Record<string, unknown> = {}) {
  return {
    name,
    version,
    entity_type: 'team',
    sport: 'nfl',
    category: 'test',
    description: `test feature ${name}`,
    calculation_method: { method: 'test', parameters: {} },
    ...extra,
  };
}
