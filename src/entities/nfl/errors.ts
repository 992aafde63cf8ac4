import { PrecogError } from '../../errors.js';

/** A string that should be a calendar date (`YYYY-MM-DD`) is not one. */
export class InvalidCalendarDateError extends PrecogError {
  readonly code = 'INVALID_CALENDAR_DATE' as const;
  readonly value: string;

  constructor(value: string) {
    super(`${JSON.stringify(value)} is not a calendar date in YYYY-MM-DD form`, { value });
    this.value = value;
  }
}

/** A caller passed an option value outside its allowed range. */
export class InvalidOptionError extends PrecogError {
  readonly code = 'INVALID_OPTION' as const;
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, value: unknown, reason: string) {
    super(`option ${option} = ${String(value)}: ${reason}`, { option, value });
    this.option = option;
    this.value = value;
  }
}
