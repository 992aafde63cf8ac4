import fs from 'node:fs';
import readline from 'node:readline';
import type { PrecogDb } from '../src/db/connection.js';
import { registerFeature } from '../src/features/registry.js';
import type { BenchData } from './generate.js';

/** Inserts the generated teams (`T00` …, NFL); returns code → team_id. */
export async function seedTeams(db: PrecogDb, data: BenchData): Promise<Map<string, number>> {
  const rows = await db.db
    .insertInto('teams')
    .values(data.teamCodes.map((code) => ({ sport: 'nfl', code, name: `Bench team ${code}` })))
    .returning(['team_id', 'code'])
    .execute();
  return new Map(rows.map((r) => [r.code, r.team_id]));
}

/** Registers the generated team features (`f00@1` …). */
export async function registerBenchFeatures(db: PrecogDb, data: BenchData): Promise<void> {
  for (const ref of data.featureRefs) {
    const [name, version] = ref.split('@') as [string, string];
    await registerFeature(db.db, {
      name,
      version,
      entity_type: 'team',
      sport: 'nfl',
      category: 'bench',
      description: `benchmark feature ${name}`,
      calculation_method: { method: 'bench_random_walk', parameters: {} },
      owner: 'bench',
    });
  }
}

/** Teams and feature definitions: what an ingest of the generated features needs. */
export async function seedFeatureStore(db: PrecogDb, data: BenchData): Promise<Map<string, number>> {
  const teams = await seedTeams(db, data);
  await registerBenchFeatures(db, data);
  return teams;
}

async function* eventsCsv(file: string, teams: ReadonlyMap<string, number>): AsyncGenerator<string> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let chunk = '';
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const [id, season, kickoff, home, away, homeScore, awayScore] = line.split(',') as [string, ...string[]];
    chunk += `${id},kalshi,${id},sports,${id},${kickoff},final,${teams.get(home!)},${teams.get(away!)},nfl,${season},false,${homeScore},${awayScore}\n`;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Loads generated games (a games CSV) into `events` as finished NFL games between the
 * seeded teams, by COPY in one transaction. Returns the number of events.
 */
export async function loadGames(db: PrecogDb, file: string, teams: ReadonlyMap<string, number>): Promise<number> {
  return db.transaction((session) =>
    session.copyFrom(
      `COPY events (event_id, platform_id, external_id, category, title, start_time, status, home_team_id, away_team_id,
                    sport, season, is_playoff, home_score, away_score) FROM STDIN WITH (FORMAT csv)`,
      eventsCsv(file, teams),
    ),
  );
}
