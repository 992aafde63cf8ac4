import { PrecogError } from '../../errors.js';

/** One field of a trading input that failed validation. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `yes_price` or `trade.order_id`. */
  readonly field: string;
  /** The value as given (undefined when the field was missing). */
  readonly value: unknown;
  readonly reason: string;
}

function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A trading input was rejected before anything was written: the message names the table,
 * the business key (`markets market_id=M1`) and every failing field with its value and
 * the rule it breaks.
 */
export class InvalidTradingInputError extends PrecogError {
  readonly code = 'INVALID_TRADING_INPUT' as const;
  readonly table: string;
  readonly key: string;
  readonly problems: readonly FieldProblem[];

  constructor(table: string, key: string, problems: readonly FieldProblem[]) {
    super(
      `${table} ${key}: rejected, nothing was written: ` +
        problems.map((p) => `${p.field} ${showValue(p.value)}: ${p.reason}`).join('; '),
      { table, key, problems },
    );
    this.table = table;
    this.key = key;
    this.problems = problems;
  }
}

/** A row the operation needs (a market version, a position, a model, …) does not exist. */
export class TradingRecordNotFoundError extends PrecogError {
  readonly code = 'TRADING_RECORD_NOT_FOUND' as const;
}

/**
 * The operation does not fit the position's current state: exiting a position that is not
 * open, or exiting more contracts than it holds.
 */
export class PositionStateError extends PrecogError {
  readonly code = 'POSITION_STATE' as const;
}

/** A lifecycle status change that the table's transition list does not allow. */
export class StatusTransitionError extends PrecogError {
  readonly code = 'STATUS_TRANSITION' as const;
}
