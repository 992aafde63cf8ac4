import { PrecogError } from '../../errors.js';

/**
 * A prediction handed to a metric is malformed: `index` is its position in the input, or
 * null when a single prediction was scored.
 */
export class InvalidPredictionError extends PrecogError {
  readonly code = 'INVALID_PREDICTION' as const;
  readonly index: number | null;
  readonly field: string;
  readonly value: unknown;

  constructor(index: number | null, field: string, value: unknown, reason: string) {
    const where = index === null ? 'prediction' : `prediction #${index}`;
    super(`${where}: ${field} ${String(value)}: ${reason}`, { index, field, value, reason });
    this.index = index;
    this.field = field;
    this.value = value;
  }
}

/** A metric was asked about no predictions (or, for accuracy, no decided outcomes). */
export class EmptySampleError extends PrecogError {
  readonly code = 'EMPTY_SAMPLE' as const;
  readonly metric: string;

  constructor(metric: string, reason = 'needs at least one prediction') {
    super(`${metric}: ${reason}`, { metric });
    this.metric = metric;
  }
}

/** A metric option is out of range (e.g. a bin count that is not a positive integer). */
export class InvalidMetricOptionError extends PrecogError {
  readonly code = 'INVALID_METRIC_OPTION' as const;
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, value: unknown, reason: string) {
    super(`${option} ${String(value)}: ${reason}`, { option, value, reason });
    this.option = option;
    this.value = value;
  }
}
