import { z } from 'zod';
import { isInSeasonWindow, parseIsoDate } from './calendar-date.js';
import { convertedField, flagField, integerField, nullableField, numberField } from './csv-fields.js';
import {
  openCsvFile,
  readCsvTable,
  requireAllValid,
  type CsvInput,
  type CsvTableResult,
  type CsvTableSpec,
} from './csv-table.js';
import { loadNflTeams, type NflTeamRegistry } from './nfl-teams.js';

/** The columns of FiveThirtyEight's `nfl_games.csv`, in file order. */
export const FIVETHIRTYEIGHT_COLUMNS = [
  'date', 'season', 'neutral', 'playoff', 'team1', 'team2',
  'elo1', 'elo2', 'elo_prob1', 'score1', 'score2', 'result1',
] as const;

/** Outcome for team1: win, tie, loss. */
export type GameResult = 1 | 0.5 | 0;

/**
 * One game of `nfl_games.csv`. `team1` is the home team unless `neutral`; teams are
 * franchise codes. Scores and `result1` are null for a game not yet played. `line` is the
 * game's physical line in the file (header = 1).
 */
export interface FiveThirtyEightGame {
  readonly line: number;
  readonly date: string;
  readonly season: number;
  readonly neutral: boolean;
  readonly playoff: boolean;
  readonly team1: string;
  readonly team2: string;
  readonly elo1: number;
  readonly elo2: number;
  readonly eloProb1: number;
  readonly score1: number | null;
  readonly score2: number | null;
  readonly result1: GameResult | null;
}

/** Options of the `nfl_games.csv` readers. */
export interface FiveThirtyEightCsvOptions {
  /** Names the input in errors (a file path or label); default `nfl_games.csv`. */
  readonly source?: string;
  /** Franchise table used to resolve team codes; default the packaged one. */
  readonly teams?: NflTeamRegistry;
}

const DEFAULT_SOURCE = 'nfl_games.csv';

function rowSchema(teams: NflTeamRegistry) {
  const team = convertedField((s) => teams.resolve(s), 'unknown team code');
  const score = nullableField(integerField(0, 200));
  const result = nullableField(
    convertedField((s): GameResult | undefined => (s === '1' ? 1 : s === '0' ? 0 : s === '0.5' ? 0.5 : undefined), 'expected 1, 0.5 or 0'),
  );
  return z
    .object({
      date: convertedField(parseIsoDate, 'not a calendar date in YYYY-MM-DD form'),
      season: integerField(1920, 2100),
      neutral: flagField('1', '0'),
      playoff: flagField('1', '0'),
      team1: team,
      team2: team,
      elo1: numberField(0, 5000),
      elo2: numberField(0, 5000),
      elo_prob1: numberField(0, 1),
      score1: score,
      score2: score,
      result1: result,
    })
    .superRefine((row, ctx) => {
      const issue = (column: string, message: string) => ctx.addIssue({ code: 'custom', path: [column], message });
      if (!isInSeasonWindow(row.date, row.season)) issue('date', `date is outside season ${row.season} (Aug–Feb)`);
      if (row.team1 === row.team2) issue('team2', 'a team cannot play itself');
      if ((row.score1 === null) !== (row.score2 === null)) {
        issue(row.score1 === null ? 'score1' : 'score2', 'score1 and score2 must both be given or both be empty');
      } else if (row.score1 !== null && row.score2 !== null) {
        const expected: GameResult = row.score1 > row.score2 ? 1 : row.score1 < row.score2 ? 0 : 0.5;
        if (row.result1 !== expected) issue('result1', `result1 must be ${expected} for a ${row.score1}-${row.score2} score`);
      } else if (row.result1 !== null) {
        issue('result1', 'result1 must be empty when the game has no score');
      }
    });
}

function tableSpec(teams: NflTeamRegistry): CsvTableSpec<z.output<ReturnType<typeof rowSchema>>, FiveThirtyEightGame> {
  return {
    columns: FIVETHIRTYEIGHT_COLUMNS,
    row: rowSchema(teams),
    build: (row, line) =>
      Object.freeze({
        line,
        date: row.date,
        season: row.season,
        neutral: row.neutral,
        playoff: row.playoff,
        team1: row.team1,
        team2: row.team2,
        elo1: row.elo1,
        elo2: row.elo2,
        eloProb1: row.elo_prob1,
        score1: row.score1,
        score2: row.score2,
        result1: row.result1,
      }),
  };
}

/**
 * Reads FiveThirtyEight's `nfl_games.csv` and keeps valid games and rejected rows apart (for
 * `--skip-invalid`). Every field is validated: ISO date inside the season's Aug–Feb window,
 * 0/1 flags, known and distinct teams (resolved to franchise codes), Elo ratings, a
 * probability in [0, 1], scores both present or both empty, and `result1` agreeing with the
 * score. Throws `InvalidInputError` only when the file itself is unusable (missing columns,
 * empty, broken CSV).
 */
export async function readFiveThirtyEightCsv(
  input: CsvInput,
  options: FiveThirtyEightCsvOptions = {},
): Promise<CsvTableResult<FiveThirtyEightGame>> {
  return readCsvTable(input, tableSpec(options.teams ?? loadNflTeams()), options.source ?? DEFAULT_SOURCE);
}

/**
 * Parses `nfl_games.csv` all-or-nothing: returns every game, or throws one
 * `InvalidInputError` naming file, line, column and value of each bad field (first 20 in
 * detail, the rest counted). Rules as in {@link readFiveThirtyEightCsv}.
 */
export async function parseFiveThirtyEightCsv(
  input: CsvInput,
  options: FiveThirtyEightCsvOptions = {},
): Promise<readonly FiveThirtyEightGame[]> {
  const source = options.source ?? DEFAULT_SOURCE;
  return requireAllValid(await readFiveThirtyEightCsv(input, { ...options, source }), source);
}

/** {@link parseFiveThirtyEightCsv} on a file; the path names the file in errors. */
export async function parseFiveThirtyEightCsvFile(
  file: string,
  options: Omit<FiveThirtyEightCsvOptions, 'source'> = {},
): Promise<readonly FiveThirtyEightGame[]> {
  return parseFiveThirtyEightCsv(openCsvFile(file), { ...options, source: file });
}
