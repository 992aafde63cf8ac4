import { z } from 'zod';
import { convertedField } from './csv-fields.js';
import { openCsvFile, readCsvTable, requireAllValid, type CsvInput, type CsvTableSpec } from './csv-table.js';
import { loadNflTeams, type NflTeamRegistry } from './nfl-teams.js';

/** The columns of spreadspoke's `spreadspoke_teams.csv` this reader uses. */
export const SPREADSPOKE_TEAMS_COLUMNS = ['team_name', 'team_name_short', 'team_id', 'team_id_pfr'] as const;

/** One row of `spreadspoke_teams.csv`: a team name, its ids as written, and our franchise code. */
export interface SpreadspokeTeam {
  readonly line: number;
  readonly name: string;
  readonly shortName: string;
  readonly teamId: string;
  readonly teamIdPfr: string;
  readonly franchise: string;
}

/** Options of the `spreadspoke_teams.csv` reader. */
export interface SpreadspokeTeamsCsvOptions {
  /** Names the input in errors; default `spreadspoke_teams.csv`. */
  readonly source?: string;
  /** Franchise table; default the packaged one. */
  readonly teams?: NflTeamRegistry;
}

interface Resolved {
  readonly text: string;
  readonly franchise: string;
}

function tableSpec(teams: NflTeamRegistry) {
  const known = (what: string) =>
    convertedField((text): Resolved | undefined => {
      const franchise = teams.resolve(text);
      return franchise === undefined ? undefined : { text, franchise };
    }, `unknown ${what}`);
  const row = z
    .object({
      team_name: known('team name'),
      team_name_short: z.string().trim(),
      team_id: known('team id'),
      team_id_pfr: known('Pro-Football-Reference team id'),
    })
    .superRefine((r, ctx) => {
      for (const column of ['team_id', 'team_id_pfr'] as const) {
        if (r[column].franchise !== r.team_name.franchise) {
          ctx.addIssue({
            code: 'custom',
            path: [column],
            message: `names franchise ${r[column].franchise} but the team name names ${r.team_name.franchise}`,
          });
        }
      }
    });
  const spec: CsvTableSpec<z.output<typeof row>, SpreadspokeTeam> = {
    columns: SPREADSPOKE_TEAMS_COLUMNS,
    row,
    build: (r, line) =>
      Object.freeze({
        line,
        name: r.team_name.text,
        shortName: r.team_name_short,
        teamId: r.team_id.text,
        teamIdPfr: r.team_id_pfr.text,
        franchise: r.team_name.franchise,
      }),
  };
  return spec;
}

/**
 * Parses `spreadspoke_teams.csv` and checks it against the franchise table: each row's team
 * name, `team_id` and `team_id_pfr` must all resolve, and to the same franchise.
 * All-or-nothing: throws one `InvalidInputError` listing every bad field.
 */
export async function parseSpreadspokeTeamsCsv(
  input: CsvInput,
  options: SpreadspokeTeamsCsvOptions = {},
): Promise<readonly SpreadspokeTeam[]> {
  const source = options.source ?? 'spreadspoke_teams.csv';
  const spec = tableSpec(options.teams ?? loadNflTeams());
  return requireAllValid(await readCsvTable(input, spec, source), source);
}

/** {@link parseSpreadspokeTeamsCsv} on a file; the path names the file in errors. */
export async function parseSpreadspokeTeamsCsvFile(
  file: string,
  options: Omit<SpreadspokeTeamsCsvOptions, 'source'> = {},
): Promise<readonly SpreadspokeTeam[]> {
  return parseSpreadspokeTeamsCsv(openCsvFile(file), { ...options, source: file });
}
