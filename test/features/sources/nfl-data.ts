import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { PrecogDb } from '../../../src/db/connection.js';

/** The shared real NFL files (../shared/data/nfl from the repository root). */
export const NFL_DATA_DIR = path.resolve(import.meta.dirname, '../../../../shared/data/nfl');

export const NFL_FILES = {
  games: path.join(NFL_DATA_DIR, 'nfl_games.csv'),
  initialElos: path.join(NFL_DATA_DIR, 'initial_elos.csv'),
  scores: path.join(NFL_DATA_DIR, 'spreadspoke_scores.csv'),
  teams: path.join(NFL_DATA_DIR, 'spreadspoke_teams.csv'),
} as const;

/** Whether every shared file is there; prints why a suite is skipped when not. */
export function nflDataPresent(suite: string): boolean {
  const missing = Object.values(NFL_FILES).filter((f) => !fs.existsSync(f));
  if (missing.length > 0) console.warn(`${suite}: skipped, real NFL data not found (${missing.join(', ')})`);
  return missing.length === 0;
}

/** Row counts of the tables an NFL import writes ("the database is unchanged" checks). */
export async function nflTableCounts(db: PrecogDb): Promise<Record<string, number>> {
  const { rows } = await sql<{ events: number; teams: number; features_historical: number; feature_definitions: number; markets: number }>`
    select (select count(*) from events)::int as events, (select count(*) from teams)::int as teams,
           (select count(*) from features_historical)::int as features_historical,
           (select count(*) from feature_definitions)::int as feature_definitions,
           (select count(*) from markets)::int as markets`.execute(db.db);
  return { ...rows[0]! };
}

/** Every stored value of one feature version: entity_key → value (latest timestamp, then correction). */
export async function featureValues(db: PrecogDb, name: string, version: string): Promise<Map<string, number>> {
  const { rows } = await sql<{ key: string; value: number }>`
    select distinct on (h.entity_key) h.entity_key as key, h.feature_value as value
      from features_historical h join feature_definitions d using (feature_id)
     where d.feature_name = ${name} and d.feature_version = ${version}
     order by h.entity_key, h."timestamp" desc, h.available_at desc`.execute(db.db);
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Seconds since `start` (from performance.now()), to 0.1 s. */
export function secondsSince(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(1);
}
