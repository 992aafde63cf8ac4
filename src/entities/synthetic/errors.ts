import { PrecogError } from '../../errors.js';

/** The options of a synthetic league failed validation; `issues` lists every field at fault. */
export class InvalidLeagueOptionsError extends PrecogError {
  readonly code = 'INVALID_LEAGUE_OPTIONS' as const;
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`synthetic league options are invalid: ${issues.join('; ')}`, { issues });
    this.issues = issues;
  }
}

/**
 * The database already holds a row under a key of the league being loaded, with different
 * content (typically: a league of another seed or other options loaded into the same
 * database). Nothing was written.
 */
export class SyntheticLeagueConflictError extends PrecogError {
  readonly code = 'SYNTHETIC_LEAGUE_CONFLICT' as const;

  constructor(table: string, key: string, column: string, stored: unknown, wanted: unknown) {
    super(
      `${table} ${key} is already stored with ${column} = ${JSON.stringify(stored)}, ` +
        `but this league has ${JSON.stringify(wanted)} (another league was loaded into this database?); nothing was written`,
      { table, key, column, stored, wanted },
    );
  }
}
