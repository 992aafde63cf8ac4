import { z } from 'zod';
import { isInSeasonWindow, parseUsDate } from './calendar-date.js';
import { convertedField, flagField, integerField, nullableField, numberField } from './csv-fields.js';
import {
  openCsvFile,
  readCsvTable,
  requireAllValid,
  type CsvInput,
  type CsvTableResult,
  type CsvTableSpec,
} from './csv-table.js';
import type { InputProblem } from '../../errors.js';
import { InvalidOptionError } from './errors.js';
import { loadNflTeams, type NflTeamRegistry } from './nfl-teams.js';
import { DEFAULT_SPREAD_SIGMA, homeSpreadLine, spreadImpliedHomeWinProbability } from './spread-line.js';

/** The columns of spreadspoke's `spreadspoke_scores.csv`, in file order. */
export const SPREADSPOKE_COLUMNS = [
  'schedule_date', 'schedule_season', 'schedule_week', 'schedule_playoff',
  'team_home', 'score_home', 'score_away', 'team_away',
  'team_favorite_id', 'spread_favorite', 'over_under_line', 'stadium', 'stadium_neutral',
  'weather_temperature', 'weather_wind_mph', 'weather_humidity', 'weather_detail',
] as const;

/** The named (playoff) weeks spreadspoke uses instead of a week number. */
export const SPREADSPOKE_PLAYOFF_WEEKS = ['Wildcard', 'Division', 'Conference', 'Superbowl'] as const;
export type SpreadspokePlayoffWeek = (typeof SPREADSPOKE_PLAYOFF_WEEKS)[number];

/** A week: a regular-season week number, or a named playoff round. */
export type SpreadspokeWeek = number | SpreadspokePlayoffWeek;

/** `team_favorite_id` value meaning the line has no favourite. */
export const PICK_EM = 'PICK';

/**
 * One game of `spreadspoke_scores.csv`, teams resolved to franchise codes.
 *
 * - `favorite` is the favoured franchise, null for a pick'em or when there is no line;
 *   `favoriteId` is the id as written (`LVR`, `PICK`, …), null when empty.
 * - `spreadFavorite` is the favourite's line as quoted (≤ 0); `spreadLineHome` is the home
 *   team's line (negative when the home team is favoured, 0 for a pick'em, null without a
 *   line); `homeWinProbability` = Φ(−spreadLineHome / σ), null without a line.
 * - Scores are null for a game not yet played; `line` is the physical line in the file.
 */
export interface SpreadspokeGame {
  readonly line: number;
  readonly date: string;
  readonly season: number;
  readonly week: SpreadspokeWeek;
  readonly playoff: boolean;
  readonly home: string;
  readonly away: string;
  readonly homeName: string;
  readonly awayName: string;
  readonly scoreHome: number | null;
  readonly scoreAway: number | null;
  readonly favoriteId: string | null;
  readonly favorite: string | null;
  readonly spreadFavorite: number | null;
  readonly spreadLineHome: number | null;
  readonly homeWinProbability: number | null;
  readonly overUnderLine: number | null;
  readonly stadium: string;
  readonly neutral: boolean;
  readonly weatherTemperature: number | null;
  readonly weatherWindMph: number | null;
  readonly weatherHumidity: number | null;
  readonly weatherDetail: string | null;
  /**
   * Only with {@link SpreadspokeCsvOptions.keepGamesWithBadLines}: why the row's betting line
   * was dropped (the line fields above are then null), or null when it was fine.
   */
  readonly lineProblem: InputProblem | null;
}

/** Options of the `spreadspoke_scores.csv` readers. */
export interface SpreadspokeCsvOptions {
  /** Names the input in errors; default `spreadspoke_scores.csv`. */
  readonly source?: string;
  /** Franchise table; default the packaged one. */
  readonly teams?: NflTeamRegistry;
  /** σ of the spread-implied probability; default {@link DEFAULT_SPREAD_SIGMA}. */
  readonly sigma?: number;
  /**
   * A row whose only problem is how its betting line fits together (a favourite no team has
   * or that is neither team, a favourite without a spread or the reverse, a pick'em not at 0)
   * is kept as a game without a line, its problem in `lineProblem`, instead of being rejected
   * whole: the result of a game does not depend on a bookmaker's line (`--skip-invalid`).
   */
  readonly keepGamesWithBadLines?: boolean;
}

const DEFAULT_SOURCE = 'spreadspoke_scores.csv';

interface Favorite {
  readonly id: string;
  /** null for a pick'em; undefined for an id no team has (kept only to report it). */
  readonly franchise: string | null | undefined;
}

const UNKNOWN_FAVORITE = `unknown team id (expected a team id, ${PICK_EM} or empty)`;

/** What is wrong with a row's betting line, on which column, or undefined when nothing is. */
function lineIssue(row: {
  team_home: { franchise: string };
  team_away: { franchise: string };
  team_favorite_id: Favorite | null;
  spread_favorite: number | null;
}): { column: string; reason: string } | undefined {
  const fav = row.team_favorite_id;
  if (fav === null) return row.spread_favorite !== null ? { column: 'team_favorite_id', reason: 'a spread is given but no favourite' } : undefined;
  if (fav.franchise === undefined) return { column: 'team_favorite_id', reason: UNKNOWN_FAVORITE };
  if (row.spread_favorite === null) return { column: 'spread_favorite', reason: 'a favourite is given but no spread' };
  if (fav.franchise === null) return row.spread_favorite !== 0 ? { column: 'spread_favorite', reason: `a ${PICK_EM} line must be 0` } : undefined;
  if (fav.franchise !== row.team_home.franchise && fav.franchise !== row.team_away.franchise) {
    return { column: 'team_favorite_id', reason: `favourite ${fav.franchise} is neither ${row.team_home.franchise} nor ${row.team_away.franchise}` };
  }
  return undefined;
}

function isPlayoffWeek(s: string): s is SpreadspokePlayoffWeek {
  return (SPREADSPOKE_PLAYOFF_WEEKS as readonly string[]).includes(s);
}

function parseWeek(s: string): SpreadspokeWeek | undefined {
  if (isPlayoffWeek(s)) return s;
  if (!/^\d{1,2}$/.test(s)) return undefined;
  const week = Number(s);
  return week >= 1 && week <= 22 ? week : undefined;
}

function rowSchema(teams: NflTeamRegistry, keepBadLines: boolean) {
  const team = convertedField((text) => {
    const franchise = teams.resolve(text);
    return franchise === undefined ? undefined : { text, franchise };
  }, 'unknown team');
  const favorite = nullableField(
    convertedField((id): Favorite | undefined => {
      if (id.toUpperCase() === PICK_EM) return { id, franchise: null };
      const franchise = teams.resolve(id);
      // Kept as unknown when bad lines are kept: the line is dropped, not the game.
      return franchise === undefined ? (keepBadLines ? { id, franchise: undefined } : undefined) : { id, franchise };
    }, UNKNOWN_FAVORITE),
  );

  const score = nullableField(integerField(0, 200));
  return z
    .object({
      schedule_date: convertedField(parseUsDate, 'not a calendar date in M/D/YYYY form'),
      schedule_season: integerField(1920, 2100),
      schedule_week: convertedField(parseWeek, `expected a week number 1-22 or ${SPREADSPOKE_PLAYOFF_WEEKS.join(', ')}`),
      schedule_playoff: flagField('TRUE', 'FALSE'),
      team_home: team,
      score_home: score,
      score_away: score,
      team_away: team,
      team_favorite_id: favorite,
      spread_favorite: nullableField(numberField(-100, 0)),
      over_under_line: nullableField(numberField(1, 200)),
      stadium: z.string().trim(),
      stadium_neutral: flagField('TRUE', 'FALSE'),
      weather_temperature: nullableField(numberField(-80, 150)),
      weather_wind_mph: nullableField(numberField(0, 200)),
      weather_humidity: nullableField(numberField(0, 100)),
      weather_detail: z.string().transform((s) => (s.trim() === '' ? null : s.trim())),
    })
    .superRefine((row, ctx) => {
      const issue = (column: string, message: string) => ctx.addIssue({ code: 'custom', path: [column], message });
      if (!isInSeasonWindow(row.schedule_date, row.schedule_season)) {
        issue('schedule_date', `date is outside season ${row.schedule_season} (Aug–Feb)`);
      }
      if (typeof row.schedule_week === 'string' && !row.schedule_playoff) {
        issue('schedule_playoff', `week ${row.schedule_week} is a playoff round`);
      }
      if (row.team_home.franchise === row.team_away.franchise) issue('team_away', 'a team cannot play itself');
      if ((row.score_home === null) !== (row.score_away === null)) {
        issue(row.score_home === null ? 'score_home' : 'score_away', 'both scores must be given or both be empty');
      }
      const line = keepBadLines ? undefined : lineIssue(row);
      if (line) issue(line.column, line.reason);
    });
}

function tableSpec(
  teams: NflTeamRegistry,
  sigma: number,
  source: string,
  keepBadLines: boolean,
): CsvTableSpec<z.output<ReturnType<typeof rowSchema>>, SpreadspokeGame> {
  return {
    columns: SPREADSPOKE_COLUMNS,
    row: rowSchema(teams, keepBadLines),
    build: (parsed, line) => {
      const issue = keepBadLines ? lineIssue(parsed) : undefined;
      const lineProblem: InputProblem | null = issue
        ? {
            file: source,
            line,
            column: issue.column,
            value: issue.column === 'team_favorite_id' ? (parsed.team_favorite_id?.id ?? '') : String(parsed.spread_favorite),
            reason: issue.reason,
          }
        : null;
      // A game whose line is bad is kept without one.
      const row = lineProblem ? { ...parsed, team_favorite_id: null, spread_favorite: null } : parsed;
      const fav = row.team_favorite_id;
      const spreadLineHome =
        fav === null || row.spread_favorite === null
          ? null
          : homeSpreadLine(
              fav.franchise === null ? 'pick' : fav.franchise === row.team_home.franchise ? 'home' : 'away',
              row.spread_favorite,
            );
      return Object.freeze({
        line,
        date: row.schedule_date,
        season: row.schedule_season,
        week: row.schedule_week,
        playoff: row.schedule_playoff,
        home: row.team_home.franchise,
        away: row.team_away.franchise,
        homeName: row.team_home.text,
        awayName: row.team_away.text,
        scoreHome: row.score_home,
        scoreAway: row.score_away,
        favoriteId: fav?.id ?? null,
        favorite: fav?.franchise ?? null,
        spreadFavorite: row.spread_favorite,
        spreadLineHome,
        homeWinProbability: spreadLineHome === null ? null : spreadImpliedHomeWinProbability(spreadLineHome, sigma),
        overUnderLine: row.over_under_line,
        stadium: row.stadium,
        neutral: row.stadium_neutral,
        weatherTemperature: row.weather_temperature,
        weatherWindMph: row.weather_wind_mph,
        weatherHumidity: row.weather_humidity,
        weatherDetail: row.weather_detail,
        lineProblem,
      });
    },
  };
}

function specFor(options: SpreadspokeCsvOptions) {
  const sigma = options.sigma ?? DEFAULT_SPREAD_SIGMA;
  if (!(Number.isFinite(sigma) && sigma > 0)) throw new InvalidOptionError('sigma', sigma, 'must be a positive number');
  return tableSpec(options.teams ?? loadNflTeams(), sigma, options.source ?? DEFAULT_SOURCE, options.keepGamesWithBadLines === true);
}

/**
 * Reads `spreadspoke_scores.csv`, keeping valid games and rejected rows apart (for
 * `--skip-invalid`). Every field is validated: M/D/YYYY date inside the season's Aug–Feb
 * window, week number or named playoff round (which must be flagged playoff), TRUE/FALSE
 * flags, known and distinct teams (full names, including names the teams file lacks such as
 * "Washington Football Team"), scores both present or both empty, a favourite that is one of
 * the two teams (`LVR` is the Raiders), `PICK` with a 0 line, an empty favourite only with an
 * empty spread, and numeric lines and weather (a blank over/under counts as empty).
 * Throws `InvalidInputError` only when the file itself is unusable.
 */
export async function readSpreadspokeCsv(
  input: CsvInput,
  options: SpreadspokeCsvOptions = {},
): Promise<CsvTableResult<SpreadspokeGame>> {
  return readCsvTable(input, specFor(options), options.source ?? DEFAULT_SOURCE);
}

/**
 * Parses `spreadspoke_scores.csv` all-or-nothing: every game, or one `InvalidInputError`
 * naming file, line, column and value of each bad field (first 20 detailed, the rest
 * counted). Rules as in {@link readSpreadspokeCsv}.
 */
export async function parseSpreadspokeCsv(
  input: CsvInput,
  options: SpreadspokeCsvOptions = {},
): Promise<readonly SpreadspokeGame[]> {
  const source = options.source ?? DEFAULT_SOURCE;
  return requireAllValid(await readSpreadspokeCsv(input, { ...options, source }), source);
}

/** {@link parseSpreadspokeCsv} on a file; the path names the file in errors. */
export async function parseSpreadspokeCsvFile(
  file: string,
  options: Omit<SpreadspokeCsvOptions, 'source'> = {},
): Promise<readonly SpreadspokeGame[]> {
  return parseSpreadspokeCsv(openCsvFile(file), { ...options, source: file });
}
