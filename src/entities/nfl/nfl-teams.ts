/**
 * The NFL franchise table (`data/nfl-teams.csv`) and the resolver every NFL importer uses to
 * turn a team code, id or name from any source into one franchise code.
 *
 * The table is our own reference data: one row per franchise in FiveThirtyEight's
 * `nfl_games.csv` (the 32 current franchises and 91 defunct ones, 1920–2020). The canonical
 * code is FiveThirtyEight's, because 538 already codes at franchise level and keeps a code
 * through moves and renames (OAK for the Oakland, Los Angeles and Las Vegas Raiders, WSH for
 * Washington, LAR for the Cleveland, Los Angeles and St. Louis Rams), so 538 rows and its
 * `initial_elos.csv` need no translation. Aliases cover spreadspoke's team ids (WAS, LVR, …),
 * its Pro-Football-Reference ids (CRD, RAI, …) and every full name the sources use. Where two
 * franchises shared a name (the AAFC and AFL Buffalo Bills, the 1920 and 1922 Toledo
 * Maroons, …) the name carries a qualifier, so no alias is ambiguous. Six 1920 non-league
 * opponents could not be identified beyond their town and carry a placeholder name such as
 * "Utica (1920)".
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InvalidInputError, MAX_REPORTED_PROBLEMS, type InputProblem } from '../../errors.js';
import { convertedField, flagField, integerField, nullableField } from './csv-fields.js';
import { readCsvTableSync, type CsvTableSpec } from './csv-table.js';
import { PACKAGE_ROOT } from '../../package-root.js';

/** The two NFL conferences. */
export const NFL_CONFERENCES = ['AFC', 'NFC'] as const;
export type NflConference = (typeof NFL_CONFERENCES)[number];

/** The eight current NFL divisions. */
export const NFL_DIVISIONS = [
  'AFC East', 'AFC North', 'AFC South', 'AFC West',
  'NFC East', 'NFC North', 'NFC South', 'NFC West',
] as const;
export type NflDivision = (typeof NFL_DIVISIONS)[number];

/**
 * One franchise: the identity that survives relocations and renames (the Oakland, Los Angeles
 * and Las Vegas Raiders are one franchise). `code` is FiveThirtyEight's code for it, which is
 * already franchise-level and stable across moves; `name` is the current (or, for a defunct
 * franchise, the last) name; `conference`/`division` are the current alignment (null when
 * defunct); `firstSeason`/`lastSeason` are the first and last seasons it played (`lastSeason`
 * null while active); `aliases` are the other codes and names it is known by.
 */
export interface NflFranchise {
  readonly code: string;
  readonly name: string;
  readonly conference: NflConference | null;
  readonly division: NflDivision | null;
  readonly active: boolean;
  readonly firstSeason: number;
  readonly lastSeason: number | null;
  readonly aliases: readonly string[];
  readonly line: number;
}

/** The franchise table with its resolver. */
export interface NflTeamRegistry {
  readonly franchises: readonly NflFranchise[];
  /** The franchise code for a code, name or alias (case-insensitive, trimmed), or `undefined`. */
  resolve(alias: string): string | undefined;
  /** The franchise with this canonical code, or `undefined`. */
  franchise(code: string): NflFranchise | undefined;
}

const COLUMNS = ['code', 'name', 'conference', 'division', 'active', 'first_season', 'last_season', 'aliases'] as const;

function isMember<T extends string>(set: readonly T[], value: string): value is T {
  return (set as readonly string[]).includes(value);
}

const rowSchema = z
  .object({
    code: z.string().trim().regex(/^[A-Z][A-Z0-9]{1,3}$/, { message: 'code must be 2-4 capital letters or digits' }),
    name: z.string().trim().min(1, { message: 'name is empty' }),
    conference: nullableField(
      convertedField((s) => (isMember(NFL_CONFERENCES, s) ? s : undefined), `expected ${NFL_CONFERENCES.join(' or ')}`),
    ),
    division: nullableField(
      convertedField((s) => (isMember(NFL_DIVISIONS, s) ? s : undefined), 'not a current NFL division'),
    ),
    active: flagField('true', 'false'),
    first_season: integerField(1920, 2100),
    last_season: nullableField(integerField(1920, 2100)),
    aliases: z.string().transform((s) =>
      s
        .split('|')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    ),
  })
  .superRefine((row, ctx) => {
    const issue = (column: string, message: string) => ctx.addIssue({ code: 'custom', path: [column], message });
    if (row.active) {
      if (row.conference === null) issue('conference', 'an active franchise needs a conference');
      if (row.division === null) issue('division', 'an active franchise needs a division');
      if (row.last_season !== null) issue('last_season', 'an active franchise has no last season');
    } else {
      if (row.conference !== null) issue('conference', 'a defunct franchise has no current conference');
      if (row.division !== null) issue('division', 'a defunct franchise has no current division');
      if (row.last_season === null) issue('last_season', 'a defunct franchise needs its last season');
    }
    if (row.division !== null && row.conference !== null && !row.division.startsWith(row.conference)) {
      issue('division', `division is not in the ${row.conference}`);
    }
    if (row.last_season !== null && row.last_season < row.first_season) {
      issue('last_season', 'last season is before the first season');
    }
  });

const spec: CsvTableSpec<z.output<typeof rowSchema>, NflFranchise> = {
  columns: COLUMNS,
  row: rowSchema,
  build: (row, line) =>
    Object.freeze({
      code: row.code,
      name: row.name,
      conference: row.conference,
      division: row.division,
      active: row.active,
      firstSeason: row.first_season,
      lastSeason: row.last_season,
      aliases: Object.freeze(row.aliases),
      line,
    }),
};

function aliasKey(alias: string): string {
  return alias.trim().toLowerCase();
}

/**
 * Parses and validates a franchise table (columns `code,name,conference,division,active,
 * first_season,last_season,aliases`, aliases pipe-separated) and builds its resolver.
 *
 * Rules: every field is checked; codes are unique; a franchise's code, name and aliases all
 * resolve to it, and no code, name or alias may resolve to two franchises (compared
 * case-insensitively). Throws one {@link InvalidInputError} listing every problem.
 */
export function parseNflTeamsCsv(text: string, source: string): NflTeamRegistry {
  const result = readCsvTableSync(text, spec, source);
  const problems: InputProblem[] = result.rejected.flatMap((r) => r.problems);
  const owner = new Map<string, NflFranchise>();
  const byCode = new Map<string, NflFranchise>();
  for (const franchise of result.valid) {
    if (byCode.has(franchise.code)) {
      problems.push({
        file: source,
        line: franchise.line,
        column: 'code',
        value: franchise.code,
        reason: `code already used on line ${byCode.get(franchise.code)?.line ?? '?'}`,
      });
      continue;
    }
    byCode.set(franchise.code, franchise);
    const names: Array<readonly [string, string]> = [
      ['code', franchise.code],
      ['name', franchise.name],
      ...franchise.aliases.map((a) => ['aliases', a] as const),
    ];
    for (const [column, alias] of names) {
      const other = owner.get(aliasKey(alias));
      if (other === undefined) owner.set(aliasKey(alias), franchise);
      else if (other !== franchise) {
        problems.push({
          file: source,
          line: franchise.line,
          column,
          value: alias,
          reason: `ambiguous: also names ${other.code} (line ${other.line})`,
        });
      }
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    throw new InvalidInputError(source, problems.slice(0, MAX_REPORTED_PROBLEMS), problems.length);
  }
  const franchises = Object.freeze([...result.valid]);
  return Object.freeze({
    franchises,
    resolve: (alias: string) => owner.get(aliasKey(alias))?.code,
    franchise: (code: string) => byCode.get(code),
  });
}

/** Where the packaged franchise table lives: `data/nfl-teams.csv` under the package root. */
export function defaultNflTeamsPath(): string {
  return path.join(PACKAGE_ROOT, 'data', 'nfl-teams.csv');
}

let packaged: NflTeamRegistry | undefined;

/**
 * Loads and validates a franchise table from `file` (read synchronously: it is small and
 * needed before anything else). Without `file`, loads the packaged `data/nfl-teams.csv` once
 * and reuses it.
 */
export function loadNflTeams(file?: string): NflTeamRegistry {
  if (file !== undefined) return parseNflTeamsCsv(fs.readFileSync(file, 'utf8'), file);
  packaged ??= parseNflTeamsCsv(fs.readFileSync(defaultNflTeamsPath(), 'utf8'), defaultNflTeamsPath());
  return packaged;
}

/**
 * The franchise code for any 538 code, spreadspoke team id or full team name, past or
 * present (case-insensitive, trimmed), using the packaged table; `undefined` if unknown.
 * `PICK` and the empty string are not teams and resolve to `undefined`.
 */
export function resolveTeam(alias: string): string | undefined {
  return loadNflTeams().resolve(alias);
}
