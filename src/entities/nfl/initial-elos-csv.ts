import { z } from 'zod';
import { convertedField, numberField } from './csv-fields.js';
import { openCsvFile, readCsvTable, requireAllValid, type CsvInput, type CsvTableSpec } from './csv-table.js';
import { InvalidInputError } from '../../errors.js';
import { loadNflTeams, type NflTeamRegistry } from './nfl-teams.js';

/** The columns of FiveThirtyEight's `initial_elos.csv`. */
export const INITIAL_ELOS_COLUMNS = ['team', 'elo'] as const;

/** One row of `initial_elos.csv`: a franchise's rating before its first game. */
export interface InitialElo {
  readonly line: number;
  readonly team: string;
  readonly elo: number;
}

function tableSpec(teams: NflTeamRegistry) {
  const row = z.object({
    team: convertedField((s) => teams.resolve(s), 'unknown team code'),
    elo: numberField(0, 5000),
  });
  const spec: CsvTableSpec<z.output<typeof row>, InitialElo> = {
    columns: INITIAL_ELOS_COLUMNS,
    row,
    build: (r, line) => Object.freeze({ line, team: r.team, elo: r.elo }),
  };
  return spec;
}

/**
 * Parses an initial-ratings file (`team,elo`; any team code, id or name the franchise table
 * resolves) into franchise code → rating. All-or-nothing: one `InvalidInputError` names
 * every bad field, including a team listed twice.
 */
export async function parseInitialElosCsv(
  input: CsvInput,
  options: { source?: string; teams?: NflTeamRegistry } = {},
): Promise<Record<string, number>> {
  const source = options.source ?? 'initial_elos.csv';
  const rows = requireAllValid(await readCsvTable(input, tableSpec(options.teams ?? loadNflTeams()), source), source);
  const ratings: Record<string, number> = {};
  const seen = new Map<string, number>();
  for (const row of rows) {
    const first = seen.get(row.team);
    if (first !== undefined) {
      throw new InvalidInputError(source, [
        { file: source, line: row.line, column: 'team', value: row.team, reason: `team already listed on line ${first}` },
      ]);
    }
    seen.set(row.team, row.line);
    ratings[row.team] = row.elo;
  }
  return ratings;
}

/** {@link parseInitialElosCsv} on a file; the path names the file in errors. */
export async function parseInitialElosCsvFile(file: string, options: { teams?: NflTeamRegistry } = {}) {
  return parseInitialElosCsv(openCsvFile(file), { ...options, source: file });
}
