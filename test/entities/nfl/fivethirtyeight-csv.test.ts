import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import {
  parseFiveThirtyEightCsv,
  parseFiveThirtyEightCsvFile,
  readFiveThirtyEightCsv,
} from '../../../src/entities/nfl/fivethirtyeight-csv.js';
import { rejectionOf, removeTempCsvs, writeTempCsv } from './temp-files.js';

afterAll(removeTempCsvs);

const HEADER = 'date,season,neutral,playoff,team1,team2,elo1,elo2,elo_prob1,score1,score2,result1\n';
const GOOD = '2020-09-10,2020,0,0,KC,HOU,1686.6,1535.8,0.77,34,20,1\n';
const UNPLAYED = '2021-02-07,2020,1,1,TB,KC,1703.3,1741.1,0.4458,,,\n';

async function problemsOf(file: string) {
  const promise = parseFiveThirtyEightCsvFile(file);
  await expect(promise).rejects.toThrow(InvalidInputError);
  const error = await rejectionOf(promise);
  if (!(error instanceof InvalidInputError)) throw new Error('expected InvalidInputError');
  return error;
}

describe('parseFiveThirtyEightCsv', () => {
  it('parses games into typed records with franchise codes and nullable scores', async () => {
    const games = await parseFiveThirtyEightCsv(HEADER + GOOD + UNPLAYED);
    expect(games).toEqual([
      {
        line: 2, date: '2020-09-10', season: 2020, neutral: false, playoff: false, team1: 'KC', team2: 'HOU',
        elo1: 1686.6, elo2: 1535.8, eloProb1: 0.77, score1: 34, score2: 20, result1: 1,
      },
      {
        line: 3, date: '2021-02-07', season: 2020, neutral: true, playoff: true, team1: 'TB', team2: 'KC',
        elo1: 1703.3, elo2: 1741.1, eloProb1: 0.4458, score1: null, score2: null, result1: null,
      },
    ]);
  });

  it('reads a stream in small chunks, CRLF line ends and a BOM', async () => {
    const text = '\uFEFF' + (HEADER + GOOD + UNPLAYED).replaceAll('\n', '\r\n');
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    const games = await parseFiveThirtyEightCsv(Readable.from(chunks));
    expect(games.map((g) => [g.line, g.team1, g.score1])).toEqual([[2, 'KC', 34], [3, 'TB', null]]);
  });

  it('rejects a bad date, a bad number and an unknown team, naming file, line, column and value', async () => {
    const file = writeTempCsv(
      'nfl_games.csv',
      HEADER +
        GOOD +
        '2020-02-30,2020,0,0,KC,HOU,1686.6,1535.8,0.77,34,20,1\n' +
        '2020-09-13,2020,0,0,KC,HOU,16x6.6,1535.8,0.77,34,20,1\n' +
        GOOD +
        '2020-09-13,2020,0,0,KC,XYZ,1686.6,1535.8,0.77,34,20,1\n',
    );
    const error = await problemsOf(file);
    expect(error.total).toBe(3);
    expect(error.problems).toEqual([
      { file, line: 3, column: 'date', value: '2020-02-30', reason: 'not a calendar date in YYYY-MM-DD form' },
      { file, line: 4, column: 'elo1', value: '16x6.6', reason: 'not a number' },
      { file, line: 6, column: 'team2', value: 'XYZ', reason: 'unknown team code' },
    ]);
    expect(error.message).toContain(`${file}:4 elo1 "16x6.6": not a number`);
  });

  it('rejects a file with a missing column at line 1', async () => {
    const file = writeTempCsv('nfl_games.csv', HEADER.replace(',elo_prob1', '') + '2020-09-10,2020,0,0,KC,HOU,1,1,34,20,1\n');
    const error = await problemsOf(file);
    expect(error.problems).toEqual([
      { file, line: 1, column: 'elo_prob1', value: '', reason: 'required column is missing from the header' },
    ]);
  });

  it('rejects a missing field, an inconsistent result, a one-sided score, a date outside the season and a team playing itself', async () => {
    const file = writeTempCsv(
      'nfl_games.csv',
      HEADER +
        '2020-09-10,2020,0,0,KC,HOU,1686.6,1535.8,0.77,34,20\n' +
        '2020-09-10,2020,0,0,KC,HOU,1686.6,1535.8,0.77,34,20,0\n' +
        '2020-09-10,2020,0,0,KC,HOU,1686.6,1535.8,0.77,34,,\n' +
        '2020-09-10,2019,0,0,KC,KC,1686.6,1535.8,1.5,34,20,1\n',
    );
    const error = await problemsOf(file);
    expect(error.problems.map((p) => [p.line, p.column, p.value])).toEqual([
      [2, 'result1', ''],
      [3, 'result1', '0'],
      [4, 'score2', ''],
      // Range problems do not stop the cross-field checks, so one row can report several.
      [5, 'elo_prob1', '1.5'],
      [5, 'date', '2020-09-10'],
      [5, 'team2', 'KC'],
    ]);
  });

  it('details the first 20 problems and counts the rest', async () => {
    const bad = '2020-09-10,2020,0,0,KC,HOU,1686.6,1535.8,0.77,34,20,x\n';
    const error = await problemsOf(writeTempCsv('nfl_games.csv', HEADER + bad.repeat(25)));
    expect(error.problems).toHaveLength(20);
    expect(error.total).toBe(25);
    expect(error.message).toContain('… and 5 more');
  });

  it('reports a row spanning lines at the line where it starts', async () => {
    const text = HEADER + GOOD + '2020-09-13,2020,0,0,"K\nC",HOU,1686.6,1535.8,0.77,34,20,1\n' + GOOD;
    const result = await readFiveThirtyEightCsv(text);
    expect(result.rejected).toEqual([
      { line: 3, problems: [{ file: 'nfl_games.csv', line: 3, column: 'team1', value: 'K\nC', reason: 'unknown team code' }] },
    ]);
    expect(result.valid.map((g) => g.line)).toEqual([2, 5]);
  });

  it('in skip-invalid mode returns valid rows and rejected rows with reasons', async () => {
    const result = await readFiveThirtyEightCsv(HEADER + GOOD + 'not-a-date,2020,0,0,KC,HOU,1,1,0.5,1,1,0.5\n' + UNPLAYED);
    expect(result.valid.map((g) => g.line)).toEqual([2, 4]);
    expect(result.rejected).toEqual([
      {
        line: 3,
        problems: [
          { file: 'nfl_games.csv', line: 3, column: 'date', value: 'not-a-date', reason: 'not a calendar date in YYYY-MM-DD form' },
        ],
      },
    ]);
  });

  it('rejects an empty file and unreadable CSV', async () => {
    await expect(parseFiveThirtyEightCsv('')).rejects.toThrow(InvalidInputError);
    await expect(parseFiveThirtyEightCsv(HEADER + '"unclosed,2020\n')).rejects.toThrow(InvalidInputError);
  });
});
