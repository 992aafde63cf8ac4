import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOf, history } from '../../../src/db/scd2.js';
import { InvalidInputError } from '../../../src/errors.js';
import { parseFiveThirtyEightCsvFile, type FiveThirtyEightGame } from '../../../src/entities/nfl/fivethirtyeight-csv.js';
import { matchGames } from '../../../src/entities/nfl/game-matching.js';
import { nflEventId } from '../../../src/entities/nfl/nfl-events.js';
import { syncNflTeams } from '../../../src/entities/nfl/nfl-team-rows.js';
import { closingLineStamp, labelTime, nflKickoff, postGameStamp, preGameStamp } from '../../../src/entities/nfl/nfl-timeline.js';
import { spreadImpliedHomeWinProbability } from '../../../src/entities/nfl/spread-line.js';
import { parseSpreadspokeCsvFile, type SpreadspokeGame } from '../../../src/entities/nfl/spreadspoke-csv.js';
import { getFeatureValuesAt } from '../../../src/features/point-in-time.js';
import { closingLineMarketId, priceText } from '../../../src/features/sources/closing-line-markets.js';
import { importNfl538, type Nfl538ImportReport } from '../../../src/features/sources/nfl-538-import.js';
import { importSpreadspoke, type SpreadspokeImportReport } from '../../../src/features/sources/spreadspoke-import.js';
import { rejectedFileFor } from '../../../src/features/sources/rejected-rows-csv.js';
import { describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { createNfl538Database } from '../../support/nfl-template.js';
import { tempDir, writeFile } from '../../support/fixtures.js';
import { featureValues, NFL_FILES, nflDataPresent, nflTableCounts, secondsSince } from './nfl-data.js';

const present = nflDataPresent('NFL importers on real data');

const GAMES_HEADER = 'date,season,neutral,playoff,team1,team2,elo1,elo2,elo_prob1,score1,score2,result1\n';
const SCORES_HEADER = fs.existsSync(NFL_FILES.scores) ? fs.readFileSync(NFL_FILES.scores, 'utf8').split('\n')[0]! + '\n' : '';

describe.skipIf(!present)('NFL importers on real data', () => {
  describeEachEngine('import nfl-538 then spreadspoke', (engine) => {
    let db: TestDatabase;
    let dir: string;
    let fte: readonly FiveThirtyEightGame[];
    let spreadspoke: readonly SpreadspokeGame[];
    let first538: Nfl538ImportReport;
    let firstSpreadspoke: SpreadspokeImportReport;

    beforeAll(async () => {
      // The first 538 import into an empty database is the run's NFL template, shared with the
      // Elo suite; its report is the one asserted below. Spreadspoke is imported here, fresh.
      const nfl = await createNfl538Database(engine, NFL_FILES.games);
      db = nfl.db;
      first538 = nfl.report;
      dir = tempDir('precog-nfl-import-');
      [fte, spreadspoke] = await Promise.all([
        parseFiveThirtyEightCsvFile(NFL_FILES.games),
        parseSpreadspokeCsvFile(NFL_FILES.scores),
      ]);
      const start = performance.now();
      firstSpreadspoke = await importSpreadspoke(db, NFL_FILES.scores, { teamsFile: NFL_FILES.teams });
      const t538 = nfl.importSeconds === undefined ? 'cloned from the template' : `${nfl.importSeconds.toFixed(1)} s`;
      console.log(`[${engine}] import nfl-538 ${t538}, import spreadspoke ${secondsSince(start)} s`);
    });
    afterAll(async () => {
      await db?.dispose();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('imports every franchise, game and 538 value', async () => {
      expect(first538).toMatchObject({
        games: 16_810,
        rejected: 0,
        rejectedFile: null,
        seasons: { first: 1920, last: 2020 },
        teams: 123,
        events: { inserted: 16_810, updated: 0, unchanged: 0 },
        features: { read: 50_430, inserted: 50_430, corrected: 0, unchanged: 0 },
      });
      expect(await nflTableCounts(db)).toMatchObject({ events: 16_810, teams: 123 });
      const washington = await db.db.selectFrom('teams').selectAll().where('code', '=', 'WSH').executeTakeFirstOrThrow();
      expect(washington).toMatchObject({ sport: 'nfl', active: true, conference: 'NFC', division: 'NFC East' });
      expect(washington.aliases).toEqual(expect.arrayContaining(['WAS', 'Washington Football Team']));

      const probs = await featureValues(db, 'elo538_prob_home', '1');
      expect(probs.size).toBe(16_810);
      for (const g of fte) expect(probs.get(nflEventId(g.date, g.team1, g.team2))).toBe(g.eloProb1);
    });

    it('stores a game as one event with its teams, kickoff, score and result', async () => {
      const e = await db.db.selectFrom('events').selectAll().where('event_id', '=', 'nfl-2020-09-10-HOU-at-KC').executeTakeFirstOrThrow();
      const ids = new Map((await db.db.selectFrom('teams').select(['code', 'team_id']).execute()).map((t) => [t.code, t.team_id]));
      expect(e).toMatchObject({
        platform_id: 'fivethirtyeight',
        external_id: '2020-09-10:KC:HOU',
        sport: 'nfl',
        season: 2020,
        week: '1',
        is_playoff: false,
        is_neutral_site: false,
        home_team_id: ids.get('KC'),
        away_team_id: ids.get('HOU'),
        home_score: 34,
        away_score: 20,
        status: 'final',
        result: { home_win: 1 },
      });
      expect(e.start_time?.toISOString()).toBe('2020-09-10T18:00:00.000Z');
      // Super Bowl LV: 538 lists TB first at the neutral site; the event keeps that orientation.
      const sb = await db.db.selectFrom('events').selectAll().where('event_id', '=', 'nfl-2021-02-07-KC-at-TB').executeTakeFirstOrThrow();
      expect(sb).toMatchObject({ is_neutral_site: true, is_playoff: true, week: 'Superbowl', season: 2020, result: { home_win: 1 } });
    });

    it('stamps pre-game values at kickoff − 2 h and closing lines at kickoff, with available_at = timestamp', async () => {
      const { rows } = await sql<{ feature_name: string; ts: Date; available_at: Date; source: string }>`
        select d.feature_name, h."timestamp" as ts, h.available_at, h.external_source as source
          from features_historical h join feature_definitions d using (feature_id)
         where h.event_id = 'nfl-2020-09-10-HOU-at-KC' or (h.team_id is not null and h."timestamp" = '2020-09-10T16:00:00Z')
         order by 1`.execute(db.db);
      const kickoff = nflKickoff('2020-09-10');
      const byName = (n: string) => rows.filter((r) => r.feature_name === n);
      expect(byName('elo538_rating').length).toBeGreaterThanOrEqual(2);
      for (const r of [...byName('elo538_prob_home'), ...byName('elo538_rating')]) {
        expect([r.ts.getTime(), r.available_at.getTime(), r.source]).toEqual([preGameStamp(kickoff).getTime(), preGameStamp(kickoff).getTime(), 'fivethirtyeight']);
      }
      for (const n of ['spread_line_home', 'total_line', 'spread_prob_home']) {
        expect(byName(n).map((r) => [r.ts.getTime(), r.available_at.getTime(), r.source])).toEqual([
          [closingLineStamp(kickoff).getTime(), closingLineStamp(kickoff).getTime(), 'spreadspoke'],
        ]);
      }
    });

    it('serves a closing line at kickoff but not at the label time one hour earlier', async () => {
      const kickoff = nflKickoff('2020-09-10');
      const at = async (time: Date) =>
        (await getFeatureValuesAt(db.db, [{ entity: 'nfl-2020-09-10-HOU-at-KC', time }], ['spread_line_home@1', 'elo538_prob_home@1'], { mode: 'known' })).values.map(
          (v) => v[0]?.value ?? null,
        );
      expect(await at(labelTime(kickoff))).toEqual([null, 0.7617556234419874]);
      expect(await at(closingLineStamp(kickoff))).toEqual([-9, 0.7617556234419874]);
    });

    it('matches ≥ 99% of the 1979–2020 spreadspoke games with a line to a 538 game, and lists the misses', () => {
      const m = firstSpreadspoke.matchRate;
      console.log(
        `[${engine}] spreadspoke→538 match rate 1979–2020 with a line: ${m.matched}/${m.games} = ${(100 * (m.rate ?? 0)).toFixed(2)}%; ` +
          `misses: ${m.misses.length === 0 ? 'none' : JSON.stringify(m.misses)}; ` +
          `swapped ${firstSpreadspoke.matching.swapped}, a day apart ${firstSpreadspoke.matching.offByOneDay}; ` +
          `score disagreements ${JSON.stringify(firstSpreadspoke.scoreDisagreements)}`,
      );
      expect(m.games).toBe(spreadspoke.filter((g) => g.season >= 1979 && g.season <= 2020 && g.spreadLineHome !== null).length);
      expect(m.rate).toBeGreaterThanOrEqual(0.99);
      expect(m.misses).toHaveLength(m.games - m.matched);
      expect(firstSpreadspoke).toMatchObject({
        games: 12_947,
        rejected: 0,
        teamsFileRows: 41,
        matching: { matched: 12_947, unmatched: 0 },
        events: { inserted: 0, updated: 12_947, unchanged: 0 },
        markets: null,
      });
      expect(firstSpreadspoke.scoreDisagreements).toEqual([
        { line: 11_939, eventId: 'nfl-2017-10-01-IND-at-SEA', spreadspoke: '46-17', stored: '46-18' },
      ]);
    });

    it("orients every closing line to the event's home team (swapped neutral-site games included)", async () => {
      const lines = await featureValues(db, 'spread_line_home', '1');
      const probs = await featureValues(db, 'spread_prob_home', '1');
      const totals = await featureValues(db, 'total_line', '1');
      const { matched } = matchGames(spreadspoke, fte);
      let checked = 0;
      let swapped = 0;
      for (const { spreadspoke: s, fiveThirtyEight: f, swapped: flip } of matched) {
        const id = nflEventId(f.date, f.team1, f.team2);
        expect(totals.get(id)).toBe(s.overUnderLine ?? undefined);
        if (s.spreadLineHome === null) {
          expect(lines.has(id)).toBe(false);
          continue;
        }
        const line = flip ? -s.spreadLineHome + 0 : s.spreadLineHome;
        expect([id, lines.get(id)]).toEqual([id, line]);
        expect(probs.get(id)).toBeCloseTo(spreadImpliedHomeWinProbability(line), 12);
        checked += 1;
        if (flip) swapped += 1;
      }
      expect(lines.size).toBe(checked);
      expect(swapped).toBeGreaterThan(0);
    });

    it('handles the README quirks: WAS = WSH, Las Vegas / LVR = OAK, PICK lines', async () => {
      const lines = await featureValues(db, 'spread_line_home', '1');
      const probs = await featureValues(db, 'spread_prob_home', '1');
      // "Washington Football Team" (not in the teams file) hosting PHI, favoured by 5; 538 says WSH.
      expect(lines.get('nfl-2020-09-13-PHI-at-WSH')).toBe(5);
      // "Las Vegas Raiders" (favourite id LVR) at CAR, favoured by 3: the home line is +3.
      expect(lines.get('nfl-2020-09-13-OAK-at-CAR')).toBe(3);
      expect(lines.get('nfl-2020-09-21-NO-at-OAK')).toBe(5.5);
      // PICK: no favourite, a 0 line, probability one half (1979-09-09 TB at the Baltimore Colts = IND).
      expect(lines.get('nfl-1979-09-09-TB-at-IND')).toBe(0);
      expect(probs.get('nfl-1979-09-09-TB-at-IND')).toBe(0.5);
      // Games without a line (most before 1979) have no line features.
      const noLine = spreadspoke.filter((g) => g.favoriteId === null).length;
      expect(lines.size).toBe(spreadspoke.length - noLine);
    });

    it('importing both files again changes nothing', async () => {
      const before = await nflTableCounts(db);
      const { rows: stamp } = await sql<{ t: Date }>`select max(updated_at) as t from events`.execute(db.db);
      const again538 = await importNfl538(db, NFL_FILES.games);
      const againSpreadspoke = await importSpreadspoke(db, NFL_FILES.scores, { teamsFile: NFL_FILES.teams });
      expect(again538.events).toEqual({ inserted: 0, updated: 0, unchanged: 16_810 });
      expect(again538.features).toEqual({ read: 50_430, inserted: 0, corrected: 0, unchanged: 50_430 });
      expect(againSpreadspoke.events).toEqual({ inserted: 0, updated: 0, unchanged: 12_947 });
      expect(againSpreadspoke.features).toMatchObject({ inserted: 0, corrected: 0 });
      expect(againSpreadspoke.matchRate).toEqual(firstSpreadspoke.matchRate);
      expect(await nflTableCounts(db)).toEqual(before);
      const { rows: after } = await sql<{ t: Date }>`select max(updated_at) as t from events`.execute(db.db);
      expect(after[0]!.t.getTime()).toBe(stamp[0]!.t.getTime());
    });

    it('rejects a 538 file with one bad row, naming file, line, column and value, and leaves the database unchanged', async () => {
      const file = writeFile(
        dir,
        'bad_games.csv',
        GAMES_HEADER +
          '2021-09-12,2021,0,0,KC,CLE,1700,1600,0.7,33,29,1\n' +
          '2021-09-12,2021,0,0,BUF,PIT,1650,1600,0.6,x,23,0\n' +
          '2021-09-13,2021,0,0,OAK,BAL,1500,1600,0.45,33,27,1\n',
      );
      const before = await nflTableCounts(db);
      const error = await importNfl538(db, file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).problems[0]).toMatchObject({ file, line: 3, column: 'score1', value: 'x' });
      expect(await nflTableCounts(db)).toEqual(before);
      expect(fs.existsSync(rejectedFileFor(file))).toBe(false);

      const scores = writeFile(
        dir,
        'bad_scores.csv',
        SCORES_HEADER +
          '9/12/2021,2021,1,FALSE,Kansas City Chiefs,33,29,Cleveland Browns,KC,-6,54,Arrowhead Stadium,FALSE,,,,\n' +
          '9/12/2021,2021,1,FALSE,Springfield Isotopes,20,23,Pittsburgh Steelers,PIT,-6.5,48,Highmark Stadium,FALSE,,,,\n',
      );
      await expect(importSpreadspoke(db, scores, { teamsFile: NFL_FILES.teams })).rejects.toThrow(InvalidInputError);
      await expect(importSpreadspoke(db, scores, { teamsFile: NFL_FILES.teams })).rejects.toThrow(/bad_scores\.csv:3 team_home "Springfield Isotopes"/);
      expect(await nflTableCounts(db)).toEqual(before);
    });

    it('with skipInvalid imports the valid rows and writes the rejected ones beside the input', async () => {
      const file = writeFile(
        dir,
        'skip_games.csv',
        GAMES_HEADER +
          '2021-09-12,2021,0,0,KC,CLE,1700,1600,0.7,33,29,1\n' +
          '2021-09-12,2021,0,0,BUF,PIT,1650,1600,0.6,x,23,0\n' +
          '2021-09-12,2021,0,0,CLE,KC,1600,1700,0.3,29,33,0\n',
      );
      const before = await nflTableCounts(db);
      const report = await importNfl538(db, file, { skipInvalid: true });
      expect(report).toMatchObject({ games: 1, rejected: 2, rejectedFile: rejectedFileFor(file), events: { inserted: 1 } });
      const rejected = parse(fs.readFileSync(rejectedFileFor(file), 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rejected.map((r) => [r['rejected_line'], r['team1'], r['score1']])).toEqual([
        ['3', 'BUF', 'x'],
        ['4', 'CLE', '29'],
      ]);
      expect(rejected[0]!['rejected_reasons']).toMatch(/:3 score1 "x": not an integer/);
      expect(rejected[1]!['rejected_reasons']).toMatch(/the same game is on line 2/);
      expect((await nflTableCounts(db))['events']).toBe(before['events']! + 1);

      const scores = writeFile(
        dir,
        'skip_scores.csv',
        SCORES_HEADER +
          '9/12/2021,2021,1,FALSE,Kansas City Chiefs,33,29,Cleveland Browns,KC,-6,54,Arrowhead Stadium,FALSE,,,,\n' +
          '9/12/2021,2021,1,FALSE,Springfield Isotopes,20,23,Pittsburgh Steelers,PIT,-6.5,48,Highmark Stadium,FALSE,,,,\n',
      );
      const lines = await importSpreadspoke(db, scores, { teamsFile: NFL_FILES.teams, skipInvalid: true });
      expect(lines).toMatchObject({ games: 1, rejected: 1, matching: { matched: 1 }, events: { updated: 1 }, features: { inserted: 3 } });
      const rejectedLines = parse(fs.readFileSync(lines.rejectedFile!, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rejectedLines.map((r) => [r['rejected_line'], r['team_home']])).toEqual([['3', 'Springfield Isotopes']]);
      expect(rejectedLines[0]!['rejected_reasons']).toMatch(/team_home "Springfield Isotopes": unknown team/);
    });

    it('with skipInvalid keeps a game whose betting line alone is invalid, and rejects only the line', async () => {
      const scores = writeFile(
        dir,
        'bad_line.csv',
        SCORES_HEADER + '9/26/2021,2021,3,FALSE,Green Bay Packers,27,17,Detroit Lions,NYJ,-6,48,Lambeau Field,FALSE,,,,\n',
      );
      const strict = await importSpreadspoke(db, scores, { teamsFile: NFL_FILES.teams }).catch((e: unknown) => e);
      expect(strict).toBeInstanceOf(InvalidInputError);
      const report = await importSpreadspoke(db, scores, { teamsFile: NFL_FILES.teams, skipInvalid: true });
      expect(report).toMatchObject({ games: 1, rejected: 1, events: { inserted: 1 } });
      const event = await db.db.selectFrom('events').selectAll().where('event_id', '=', 'nfl-2021-09-26-DET-at-GB').executeTakeFirstOrThrow();
      expect(event).toMatchObject({ home_score: 27, away_score: 17, status: 'final' });
      const lines = await db.db
        .selectFrom('features_historical as h')
        .innerJoin('feature_definitions as d', 'd.feature_id', 'h.feature_id')
        .select('d.feature_name')
        .where('h.event_id', '=', event.event_id)
        .execute();
      expect(lines.map((l) => l.feature_name)).not.toContain('spread_line_home');
      const rejected = parse(fs.readFileSync(report.rejectedFile!, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rejected.map((r) => r['rejected_line'])).toEqual(['2']);
      expect(rejected[0]!['rejected_reasons']).toMatch(
        /team_favorite_id "NYJ": favourite NYJ is neither GB nor DET; only the line was rejected, the game and its score were kept/,
      );
    });

    it('syncs the franchise table back over a changed team row, and leaves matching rows alone', async () => {
      await db.db.updateTable('teams').set({ name: 'Changed', aliases: [] }).where('code', '=', 'KC').execute();
      const ids = await syncNflTeams(db.db);
      expect(ids.size).toBe(123);
      const kc = await db.db.selectFrom('teams').selectAll().where('code', '=', 'KC').executeTakeFirstOrThrow();
      expect([kc.team_id, kc.name, kc.aliases]).toEqual([ids.get('KC'), 'Kansas City Chiefs', expect.arrayContaining(['Kansas City Chiefs'])]);
    });

    it('creates events for games 538 lacks, without a result until the score arrives', async () => {
      const row = (score: string) =>
        SCORES_HEADER + `9/19/2021,2021,2,FALSE,Green Bay Packers,${score},Detroit Lions,GB,-11,48,Lambeau Field,FALSE,,,,\n`;
      const scheduled = writeFile(dir, 'scheduled.csv', row(','));
      const first = await importSpreadspoke(db, scheduled, { teamsFile: NFL_FILES.teams });
      expect(first).toMatchObject({ matching: { matched: 0, unmatched: 1 }, events: { inserted: 1 }, features: { inserted: 3 } });
      const id = 'nfl-2021-09-19-DET-at-GB';
      const select = () => db.db.selectFrom('events').selectAll().where('event_id', '=', id).executeTakeFirstOrThrow();
      expect(await select()).toMatchObject({ platform_id: 'spreadspoke', status: 'scheduled', result: null, home_score: null, week: '2' });

      const played = writeFile(dir, 'played.csv', row('35,17'));
      const second = await importSpreadspoke(db, played, { teamsFile: NFL_FILES.teams });
      expect(second).toMatchObject({ matching: { matched: 1 }, events: { inserted: 0, updated: 1, unchanged: 0 }, features: { inserted: 0, unchanged: 3 } });
      expect(await select()).toMatchObject({ status: 'final', result: { home_win: 1 }, home_score: 35, away_score: 17 });
      const third = await importSpreadspoke(db, played, { teamsFile: NFL_FILES.teams });
      expect(third.events).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    });

    it('records closing lines as closing-line markets (SCD2: line at kickoff, settled at kickoff + 4 h), idempotently', async () => {
      const lines = fs.readFileSync(NFL_FILES.scores, 'utf8').split('\n');
      const season2020 = lines.filter((l) => /^\d+\/\d+\/\d{4},2020,/.test(l));
      const file = writeFile(dir, 'season2020.csv', `${lines[0]}\n${season2020.join('\n')}\n`);
      const first = await importSpreadspoke(db, file, { teamsFile: NFL_FILES.teams, markets: true });
      expect(first.markets).toEqual({ inserted: season2020.length, updated: 0, unchanged: 0 });
      const again = await importSpreadspoke(db, file, { teamsFile: NFL_FILES.teams, markets: true });
      expect(again.markets).toEqual({ inserted: 0, updated: 0, unchanged: season2020.length });

      const id = 'nfl-2020-09-10-HOU-at-KC';
      const key = { market_id: closingLineMarketId(id) };
      const kickoff = nflKickoff('2020-09-10');
      const p = spreadImpliedHomeWinProbability(-9);
      expect(await asOf(db.db, 'markets', key, labelTime(kickoff))).toBeUndefined();
      expect(await asOf(db.db, 'markets', key, kickoff)).toMatchObject({ status: 'closed', yes_price: priceText(p), settlement_value: null });
      expect(await asOf(db.db, 'markets', key, postGameStamp(kickoff))).toMatchObject({ status: 'settled', settlement_value: '1.0000' });
      const versions = await history(db.db, 'markets', key);
      expect(versions.map((v) => [v.row_start_ts.toISOString(), v.row_current_ind])).toEqual([
        [kickoff.toISOString(), false],
        [postGameStamp(kickoff).toISOString(), true],
      ]);
    });
  });
});
