import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import { InvalidOptionError } from '../../../src/entities/nfl/errors.js';
import { normalCdf } from '../../../src/entities/nfl/normal-cdf.js';
import {
  parseSpreadspokeCsv,
  parseSpreadspokeCsvFile,
  readSpreadspokeCsv,
} from '../../../src/entities/nfl/spreadspoke-csv.js';
import { parseSpreadspokeTeamsCsv } from '../../../src/entities/nfl/spreadspoke-teams-csv.js';
import { rejectionOf, removeTempCsvs, writeTempCsv } from './temp-files.js';

afterAll(removeTempCsvs);

const HEADER =
  'schedule_date,schedule_season,schedule_week,schedule_playoff,team_home,score_home,score_away,team_away,' +
  'team_favorite_id,spread_favorite,over_under_line,stadium,stadium_neutral,' +
  'weather_temperature,weather_wind_mph,weather_humidity,weather_detail\n';

function row(fields: Partial<Record<string, string>>): string {
  const base: Record<string, string> = {
    schedule_date: '9/13/2020', schedule_season: '2020', schedule_week: '1', schedule_playoff: 'FALSE',
    team_home: 'Washington Football Team', score_home: '27', score_away: '17', team_away: 'Philadelphia Eagles',
    team_favorite_id: 'PHI', spread_favorite: '-5.5', over_under_line: '42', stadium: 'FedEx Field',
    stadium_neutral: 'FALSE', weather_temperature: '72', weather_wind_mph: '8', weather_humidity: '', weather_detail: '',
  };
  const merged = { ...base, ...fields };
  return HEADER.trim().split(',').map((c) => merged[c] ?? '').join(',') + '\n';
}

describe('readSpreadspokeCsv with keepGamesWithBadLines (--skip-invalid)', () => {
  it('keeps a game whose only problem is its line, without the line, and says why', async () => {
    const input = HEADER + row({ team_favorite_id: 'DAL' }) + row({ schedule_date: '9/20/2020', team_favorite_id: 'ZZZ' }) + row({ schedule_date: '9/27/2020', score_home: 'x' });
    const strict = await readSpreadspokeCsv(input);
    expect(strict.valid).toHaveLength(0);
    expect(strict.rejected.map((r) => r.line)).toEqual([2, 3, 4]);

    const kept = await readSpreadspokeCsv(input, { keepGamesWithBadLines: true });
    // A bad score still rejects the row: a game's result is not optional.
    expect(kept.rejected.map((r) => r.line)).toEqual([4]);
    expect(kept.valid.map((g) => [g.line, g.scoreHome, g.favorite, g.spreadLineHome, g.homeWinProbability, g.overUnderLine])).toEqual([
      [2, 27, null, null, null, 42],
      [3, 27, null, null, null, 42],
    ]);
    expect(kept.valid.map((g) => g.lineProblem)).toEqual([
      { file: 'spreadspoke_scores.csv', line: 2, column: 'team_favorite_id', value: 'DAL', reason: 'favourite DAL is neither WSH nor PHI' },
      { file: 'spreadspoke_scores.csv', line: 3, column: 'team_favorite_id', value: 'ZZZ', reason: expect.stringMatching(/^unknown team id/) },
    ]);
    const fine = await readSpreadspokeCsv(HEADER + row({}), { keepGamesWithBadLines: true });
    expect(fine.valid[0]).toMatchObject({ favorite: 'PHI', spreadLineHome: 5.5, lineProblem: null });
  });
});

describe('parseSpreadspokeCsv', () => {
  it('resolves names the teams file lacks and derives the home line and probability', async () => {
    const [game] = await parseSpreadspokeCsv(HEADER + row({}));
    expect(game).toMatchObject({
      line: 2, date: '2020-09-13', season: 2020, week: 1, playoff: false, home: 'WSH', away: 'PHI',
      homeName: 'Washington Football Team', scoreHome: 27, scoreAway: 17, favoriteId: 'PHI', favorite: 'PHI',
      spreadFavorite: -5.5, spreadLineHome: 5.5, overUnderLine: 42, neutral: false, weatherTemperature: 72,
      weatherHumidity: null, weatherDetail: null,
    });
    expect(game?.homeWinProbability).toBeCloseTo(normalCdf(-5.5 / 13.45), 15);
  });

  it('handles LVR, PICK, an empty favourite, a blank over/under and named playoff weeks', async () => {
    const games = await parseSpreadspokeCsv(
      HEADER +
        row({ team_home: 'Las Vegas Raiders', team_away: 'New Orleans Saints', team_favorite_id: 'LVR', spread_favorite: '-3' }) +
        row({ team_favorite_id: 'PICK', spread_favorite: '0' }) +
        row({ schedule_date: '9/2/1966', schedule_season: '1966', team_favorite_id: '', spread_favorite: '', over_under_line: ' ' }) +
        row({ schedule_date: '2/7/2021', schedule_week: 'Superbowl', schedule_playoff: 'TRUE', stadium_neutral: 'TRUE' }),
    );
    expect(games.map((g) => [g.home, g.favorite, g.spreadLineHome, g.homeWinProbability, g.overUnderLine, g.week])).toEqual([
      ['OAK', 'OAK', -3, normalCdf(3 / 13.45), 42, 1],
      ['WSH', null, 0, 0.5, 42, 1],
      ['WSH', null, null, null, null, 1],
      ['WSH', 'PHI', 5.5, normalCdf(-5.5 / 13.45), 42, 'Superbowl'],
    ]);
    expect(games[1]?.favoriteId).toBe('PICK');
  });

  it('uses the sigma it is given', async () => {
    const [game] = await parseSpreadspokeCsv(HEADER + row({}), { sigma: 10 });
    expect(game?.homeWinProbability).toBeCloseTo(normalCdf(-0.55), 15);
    await expect(parseSpreadspokeCsv(HEADER + row({}), { sigma: 0 })).rejects.toThrow(InvalidOptionError);
  });

  it('rejects a bad date, a bad number, an unknown team and a stray favourite with file/line/column/value', async () => {
    const file = writeTempCsv(
      'spreadspoke_scores.csv',
      HEADER +
        row({ schedule_date: '13/1/2020' }) +
        row({ spread_favorite: '-3..5' }) +
        row({ team_away: 'London Monarchs' }) +
        row({ team_favorite_id: 'DAL' }) +
        row({}) +
        row({ schedule_week: 'Wildcard' }) +
        row({ stadium: 'Soldier Field, Chicago' }),
    );
    const promise = parseSpreadspokeCsvFile(file);
    await expect(promise).rejects.toThrow(InvalidInputError);
    const error = await rejectionOf(promise);
    if (!(error instanceof InvalidInputError)) throw new Error('expected InvalidInputError');
    expect(error.problems.map((p) => [p.file, p.line, p.column, p.value])).toEqual([
      [file, 2, 'schedule_date', '13/1/2020'],
      [file, 3, 'spread_favorite', '-3..5'],
      [file, 4, 'team_away', 'London Monarchs'],
      [file, 5, 'team_favorite_id', 'DAL'],
      [file, 7, 'schedule_playoff', 'FALSE'],
      // An unquoted comma splits a field: the row has one field too many.
      [file, 8, '(field 18)', ''],
    ]);
  });

  it('rejects a file without a required column', async () => {
    const file = writeTempCsv('spreadspoke_scores.csv', HEADER.replace('team_favorite_id,', '') + 'x\n');
    const promise = parseSpreadspokeCsvFile(file);
    await expect(promise).rejects.toThrow(InvalidInputError);
    const error = await rejectionOf(promise);
    expect(error).toMatchObject({
      problems: [{ file, line: 1, column: 'team_favorite_id', value: '', reason: 'required column is missing from the header' }],
    });
  });

  it('in skip-invalid mode keeps the good rows', async () => {
    const result = await readSpreadspokeCsv(HEADER + row({}) + row({ score_home: '' }) + row({ spread_favorite: '' }));
    expect(result.valid.map((g) => g.line)).toEqual([2]);
    expect(result.rejected.map((r) => r.problems.map((p) => [p.line, p.column, p.reason]))).toEqual([
      [[3, 'score_home', 'both scores must be given or both be empty']],
      [[4, 'spread_favorite', 'a favourite is given but no spread']],
    ]);
  });
});

describe('parseSpreadspokeTeamsCsv', () => {
  const HEAD = 'team_name,team_name_short,team_id,team_id_pfr,team_conference\n';

  it('maps each team to its franchise', async () => {
    const teams = await parseSpreadspokeTeamsCsv(HEAD + 'St. Louis Cardinals,Cardinals,ARI,ARI,NFC\nWashington Redskins,Redskins,WAS,WAS,NFC');
    expect(teams.map((t) => [t.line, t.name, t.teamId, t.franchise])).toEqual([
      [2, 'St. Louis Cardinals', 'ARI', 'ARI'],
      [3, 'Washington Redskins', 'WAS', 'WSH'],
    ]);
  });

  it('rejects an id that names another franchise than the team name', async () => {
    const promise = parseSpreadspokeTeamsCsv(HEAD + 'Houston Oilers,Oilers,HOU,OTI,AFC\n');
    await expect(promise).rejects.toThrow(InvalidInputError);
    expect(await rejectionOf(promise)).toMatchObject({
      problems: [{ line: 2, column: 'team_id', value: 'HOU', reason: 'names franchise HOU but the team name names TEN' }],
    });
  });
});
