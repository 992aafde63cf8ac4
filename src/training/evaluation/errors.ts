import { FieldValueError, PrecogError } from '../../errors.js';

/** A season range is not `from:to` with integer seasons and from ≤ to. */
export class InvalidSeasonRangeError extends PrecogError {
  readonly code = 'INVALID_SEASON_RANGE' as const;
  readonly value: unknown;

  constructor(value: unknown, reason: string) {
    super(`season range ${JSON.stringify(value)}: ${reason}`, { value, reason });
    this.value = value;
  }
}

/**
 * Evaluation input is malformed: columns of different lengths, a non-integer season, an
 * outcome that is not 0, 0.5 or 1, a probability outside [0, 1], a bad option.
 * `field` names the column or option; `index` the first bad row when there is one.
 */
export class InvalidEvaluationInputError extends FieldValueError {
  readonly code = 'INVALID_EVALUATION_INPUT' as const;
}

/** A walk-forward evaluation has nothing to evaluate: no season in range has a season before it. */
export class NoWalkForwardFoldsError extends PrecogError {
  readonly code = 'NO_WALK_FORWARD_FOLDS' as const;

  constructor(range: string, seasons: readonly number[]) {
    const present = seasons.length === 0 ? 'none' : `${seasons[0]}–${seasons[seasons.length - 1]}`;
    super(`no walk-forward fold in ${range}: seasons in the data: ${present}; each test season needs an earlier one`, {
      range,
      seasonCount: seasons.length,
    });
  }
}
