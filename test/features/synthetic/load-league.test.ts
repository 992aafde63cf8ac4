import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { asOf, history } from '../../../src/db/scd2.js';
import { SyntheticLeagueConflictError } from '../../../src/entities/synthetic/errors.js';
import { generateLeague } from '../../../src/entities/synthetic/league.js';
import { priceText } from '../../../src/entities/synthetic/league-rows.js';
import { LOAD_STAGES, loadLeague, type LoadProgress } from '../../../src/features/synthetic/load-league.js';
import { getFeatureValuesAt } from '../../../src/features/point-in-time.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { countRows } from '../../support/fixtures.js';

const TABLES = ['teams', 'players', 'events', 'markets', 'feature_definitions', 'features_historical'] as const;

async function counts(db: TestDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = await countRows(db, table);
  return out;
}

/** Every stored row of the league's tables, as text: "nothing changed" means byte-equal. */
async function contents(db: TestDatabase): Promise<string[]> {
  const out: string[] = [];
  for (const table of TABLES) {
    const { rows } = await sql<{ t: string }>`select md5(string_agg(x::text, '|' order by x::text)) as t from ${sql.table(table)} x`.execute(db.db);
    out.push(`${table}:${rows[0]!.t}`);
  }
  return out;
}

describeEachEngine('loadLeague', (engine) => {
  let db: TestDatabase;
  // 8 teams × 2 seasons × 16 weeks: 128 games, 5 snapshots + a settlement per market.
  const league = generateLeague({ seed: 7, teams: 8, seasons: 2 });
  const games = league.games.length;
  const snapshots = league.options.market.snapshotMinutesBeforeKickoff.length;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(() => db.dispose());

  it('writes teams, players, events, market histories and feature values', async () => {
    const progress: LoadProgress[] = [];
    const report = await loadLeague(db, league, { onProgress: (p) => progress.push(p) });
    expect(games).toBe(128);
    expect(report.teams).toEqual({ inserted: 8, unchanged: 0 });
    expect(report.players).toEqual({ inserted: 24, unchanged: 0 });
    expect(report.events).toEqual({ inserted: games, unchanged: 0 });
    expect(report.markets).toEqual({ inserted: games, unchanged: 0, versions: games * (snapshots + 1) });
    expect(report.features.registered).toBe(2);
    expect(report.features.ingest).toMatchObject({ read: games * 2 + games * snapshots, inserted: games * 2 + games * snapshots, corrected: 0 });
    expect(Object.keys(report.timingsMs).sort()).toEqual([...LOAD_STAGES, 'total'].sort());

    expect(await counts(db)).toEqual({
      teams: 8,
      players: 24,
      events: games,
      markets: games * (snapshots + 1),
      feature_definitions: 2,
      features_historical: games * 2 + games * snapshots,
    });
    // Progress: every stage, in order, each ending complete.
    const ends = progress.filter((p) => p.done === p.total && p.total > 0);
    expect([...new Set(ends.map((p) => p.stage))]).toEqual([...LOAD_STAGES]);

    const game = league.games[17]!;
    const event = await db.db
      .selectFrom('events as e')
      .innerJoin('teams as h', 'h.team_id', 'e.home_team_id')
      .innerJoin('teams as a', 'a.team_id', 'e.away_team_id')
      .select(['e.platform_id', 'e.sport', 'e.season', 'e.week', 'e.status', 'e.start_time', 'e.home_score', 'e.away_score', 'e.result', 'h.code as home', 'a.code as away'])
      .where('e.event_id', '=', game.eventId)
      .executeTakeFirstOrThrow();
    expect(event).toEqual({
      platform_id: 'kalshi',
      sport: 'nfl',
      season: game.season,
      week: String(game.week),
      status: 'final',
      start_time: game.kickoff,
      home_score: game.homeScore,
      away_score: game.awayScore,
      result: { home_win: game.homeScore > game.awayScore ? 1 : game.homeScore < game.awayScore ? 0 : 0.5, margin: game.homeScore - game.awayScore },
      home: game.home,
      away: game.away,
    });
    const qb = await db.db.selectFrom('players').innerJoin('teams', 'teams.team_id', 'players.team_id').select(['teams.code', 'players.position']).where('external_id', '=', 'syn-S03-QB').executeTakeFirstOrThrow();
    expect(qb).toEqual({ code: 'S03', position: 'QB' });
  });

  it('keeps each market as SCD2 history: a version per snapshot, then the settlement, one current row', async () => {
    const market = league.markets[42]!;
    const versions = await history(db.db, 'markets', { market_id: market.marketId });
    expect(versions).toHaveLength(snapshots + 1);
    market.snapshots.forEach((s, i) => {
      expect(versions[i]).toMatchObject({
        ticker: market.marketId,
        platform_id: 'kalshi',
        event_id: market.eventId,
        market_type: 'binary',
        status: 'open',
        yes_price: priceText(s.yesPrice),
        no_price: priceText(1 - s.yesPrice),
        settlement_value: null,
        row_start_ts: s.at,
        row_end_ts: market.snapshots[i + 1]?.at ?? market.settlement.at,
        row_current_ind: false,
      });
    });
    expect(versions[snapshots]).toMatchObject({
      status: 'settled',
      settlement_value: market.settlement.value.toFixed(4),
      yes_price: priceText(market.snapshots[snapshots - 1]!.yesPrice),
      row_start_ts: market.settlement.at,
      row_end_ts: null,
      row_current_ind: true,
    });
    expect(versions.filter((v) => v.row_current_ind)).toHaveLength(1);
    // As of the label time (kickoff − 1 h) the market shows the −1 h quote.
    const at = new Date(market.snapshots[3]!.at.getTime() + 1);
    expect((await asOf(db.db, 'markets', { market_id: market.marketId }, at))?.['yes_price']).toBe(priceText(market.snapshots[3]!.yesPrice));
    // Across all markets: exactly one current row each.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from (select market_id from markets group by market_id
       having count(*) filter (where row_current_ind) <> 1) bad`.execute(db.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('stores feature values that point-in-time retrieval reads back as they were known', async () => {
    const market = league.markets[42]!;
    const labelTime = market.snapshots[3]!.at; // kickoff − 1 h
    const price = await getFeatureValuesAt(db.db, [{ entity: market.marketId, time: labelTime }], ['market_price@1'], { mode: 'known' });
    expect(price.values[0]![0]!.value).toBe(market.snapshots[3]!.yesPrice);
    const early = await getFeatureValuesAt(db.db, [{ entity: market.marketId, time: new Date(labelTime.getTime() - 1) }], ['market_price@1'], { mode: 'known' });
    expect(early.values[0]![0]!.value).toBe(market.snapshots[2]!.yesPrice);

    const out = league.games.find((g) => g.homeOut.some((id) => id.endsWith('-QB')))!;
    const fit = league.games.find((g) => !g.homeOut.some((id) => id.endsWith('-QB')))!;
    const hour = 3_600_000;
    const qb = await getFeatureValuesAt(
      db.db,
      [{ entity: out.home, time: new Date(out.kickoff.getTime() - hour) }, { entity: fit.home, time: new Date(fit.kickoff.getTime() - hour) }],
      ['qb_injured@1'],
      { mode: 'known' },
    );
    expect(qb.values[0]!.map((v) => v?.value)).toEqual([1, 0]);
    expect(qb.values[0]![0]!.timestamp).toEqual(new Date(out.kickoff.getTime() - 48 * hour));
  });

  it('is idempotent: loading the same league again changes nothing', async () => {
    const before = await contents(db);
    const report = await loadLeague(db, league);
    expect(report.teams).toEqual({ inserted: 0, unchanged: 8 });
    expect(report.players).toEqual({ inserted: 0, unchanged: 24 });
    expect(report.events).toEqual({ inserted: 0, unchanged: games });
    expect(report.markets).toEqual({ inserted: 0, unchanged: games, versions: 0 });
    expect(report.features.registered).toBe(0);
    expect(report.features.ingest).toMatchObject({ inserted: 0, corrected: 0, unchanged: games * 2 + games * snapshots });
    expect(await contents(db)).toEqual(before);
  });

  it('rejects another league under the same keys and writes nothing', async () => {
    const before = await contents(db);
    // Same seed, no home advantage: same teams, players and schedule, other scores.
    const rescored = generateLeague({ seed: 7, teams: 8, seasons: 2, homeAdvantage: 0 });
    const rejection = loadLeague(db, rescored);
    await expect(rejection).rejects.toThrow(SyntheticLeagueConflictError);
    await expect(rejection).rejects.toMatchObject({ facts: { table: 'events' } });
    // Another seed: the players' names already differ.
    await expect(loadLeague(db, generateLeague({ seed: 8, teams: 8, seasons: 2 }))).rejects.toMatchObject({
      code: 'SYNTHETIC_LEAGUE_CONFLICT',
      facts: { table: 'players' },
    });
    expect(await contents(db)).toEqual(before);
  });
});
