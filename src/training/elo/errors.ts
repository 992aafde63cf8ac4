import { PrecogError } from '../../errors.js';

/** One rejected field of an Elo parameter object: its dotted path and why it was rejected. */
export interface EloParamsIssue {
  readonly field: string;
  readonly reason: string;
}

/**
 * Elo parameters failed validation. `field` is the dotted path of the first bad field
 * (`k`, `fixedReversions.CLE1999`); `issues` lists every rejected field.
 */
export class InvalidEloParamsError extends PrecogError {
  readonly code = 'INVALID_ELO_PARAMS' as const;
  readonly field: string;
  readonly issues: readonly EloParamsIssue[];

  constructor(issues: readonly [EloParamsIssue, ...EloParamsIssue[]]) {
    super(
      `invalid Elo parameters: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`,
      { field: issues[0].field, issues },
    );
    this.field = issues[0].field;
    this.issues = issues;
  }
}

/**
 * A game fed to the Elo engine is malformed (bad team, half a score) or out of order (a
 * team's season went backwards). `index` is the game's position in the input, when known.
 */
export class InvalidEloGameError extends PrecogError {
  readonly code = 'INVALID_ELO_GAME' as const;
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, reason: string, index?: number) {
    const where = index === undefined ? 'Elo game' : `Elo game #${index}`;
    super(`${where}: ${field} ${JSON.stringify(value)}: ${reason}`, { field, value, reason, index });
    this.field = field;
    this.value = value;
  }
}
