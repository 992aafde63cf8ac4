import fs from 'node:fs';
import type { PrecogDb } from '../../src/db/connection.js';
import type { Engine } from '../../src/db/engine.js';
import { ingestValues } from '../../src/features/ingest.js';
import type { FeatureValueInput } from '../../src/features/ingest-sources.js';
import { registerFeature } from '../../src/features/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/engines.js';
import { seedTeams, teamFeature, tempDir } from '../support/fixtures.js';

export const HOUR = 3_600_000;

/** Kickoffs of the fixture's games: one a week from 2021-09-12 18:00 UTC. */
export const kickoff = (week: number) => new Date(Date.UTC(2021, 8, 12, 18) + week * 7 * 24 * HOUR);

/** A small league: 4 teams, 8 finished games over two seasons, one tie, one unplayed. */
export async function seedLeague(db: PrecogDb): Promise<{ teams: Map<string, number>; games: string[] }> {
  const teams = await seedTeams(db, ['AAA', 'BBB', 'CCC', 'DDD']);
  const games: string[] = [];
  const fixtures: [string, string, number | null, number | null, number][] = [
    ['AAA', 'BBB', 24, 17, 2021],
    ['CCC', 'DDD', 10, 13, 2021],
    ['BBB', 'CCC', 20, 20, 2021],
    ['DDD', 'AAA', 7, 31, 2021],
    ['AAA', 'CCC', 14, 21, 2022],
    ['BBB', 'DDD', 28, 3, 2022],
    ['CCC', 'BBB', 17, 24, 2022],
    ['DDD', 'CCC', 9, 6, 2022],
    ['AAA', 'DDD', null, null, 2022],
  ];
  for (const [week, [home, away, hs, as, season]] of fixtures.entries()) {
    const id = `G${week}`;
    games.push(id);
    await db.db
      .insertInto('events')
      .values({
        event_id: id,
        platform_id: 'kalshi',
        external_id: id,
        category: 'sports',
        title: `${away} at ${home}`,
        sport: 'nfl',
        season,
        start_time: kickoff(week),
        home_team_id: teams.get(home)!,
        away_team_id: teams.get(away)!,
        home_score: hs,
        away_score: as,
        status: hs === null ? 'scheduled' : 'final',
      })
      .execute();
  }
  await registerFeature(db.db, teamFeature('rating'));
  await registerFeature(db.db, { ...teamFeature('line'), entity_type: 'event' });
  return { teams, games };
}

/**
 * For every game and both teams: a rating value "before" (label time − 1 ms, value 100 + w)
 * and "after" (label time + 1 ms, value −1) — a dataset must contain only the "before"
 * values. Label time = kickoff − 1 h. Backfilled: available_at = timestamp.
 */
export function beforeAndAfterValues(): FeatureValueInput[] {
  const out: FeatureValueInput[] = [];
  const homes = ['AAA', 'CCC', 'BBB', 'DDD', 'AAA', 'BBB', 'CCC', 'DDD'];
  const aways = ['BBB', 'DDD', 'CCC', 'AAA', 'CCC', 'DDD', 'BBB', 'CCC'];
  for (let w = 0; w < 8; w++) {
    const label = kickoff(w).getTime() - HOUR;
    for (const team of [homes[w]!, aways[w]!]) {
      const before = new Date(label - 1).toISOString();
      const after = new Date(label + 1).toISOString();
      out.push({ feature: 'rating@1', entity: team, timestamp: before, available_at: before, value: 100 + w });
      out.push({ feature: 'rating@1', entity: team, timestamp: after, available_at: after, value: -1 });
    }
    const lineTime = new Date(label - 10 * HOUR).toISOString();
    out.push({ feature: 'line@1', entity: `G${w}`, timestamp: lineTime, available_at: lineTime, value: -w });
  }
  return out;
}

export async function ingestBeforeAndAfter(db: PrecogDb): Promise<void> {
  await ingestValues(db, 'fixture', beforeAndAfterValues());
}

export const baseSpec = {
  name: 'games',
  version: '1',
  sport: 'nfl',
  labels: { seasons: [2021, 2022] as [number, number] },
  features: [
    { feature: 'rating@1', role: 'both_teams' as const, diff: true },
    { feature: 'line@1', role: 'event' as const },
  ],
  mode: 'known' as const,
};

/** A fresh database holding the league and its before/after values, and a `$PRECOG_HOME` for its files. */
export async function openLeague(engine: Engine): Promise<{ db: TestDatabase; home: string }> {
  const db = await createTestDatabase(engine);
  await seedLeague(db);
  await ingestBeforeAndAfter(db);
  return { db, home: tempDir() };
}

export async function closeLeague(league: { db?: TestDatabase; home?: string }): Promise<void> {
  await league.db?.dispose();
  if (league.home) fs.rmSync(league.home, { recursive: true, force: true });
}
