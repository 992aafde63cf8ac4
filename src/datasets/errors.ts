import { PrecogError } from '../errors.js';

/** A dataset file's sha256 is not the one recorded for it: the file changed or is not the one built. */
export class DatasetChecksumError extends PrecogError {
  readonly code = 'DATASET_CHECKSUM_MISMATCH' as const;
  readonly path: string;
  readonly expected: string;
  readonly actual: string;

  constructor(path: string, expected: string, actual: string) {
    super(`${path}: sha256 is ${actual}, expected ${expected}; the dataset file was changed or replaced`, {
      path,
      expected,
      actual,
    });
    this.path = path;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A file is not a Precog dataset file: not Arrow IPC, wrong column layout, or bad `precog.*` metadata. */
export class DatasetFormatError extends PrecogError {
  readonly code = 'DATASET_FORMAT_INVALID' as const;
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`${path}: not a Precog dataset file: ${reason}`, { path, reason }, options);
    this.path = path;
    this.reason = reason;
  }
}

/** The column layout or schema metadata asked of the writer is invalid (duplicate or reserved names, …). */
export class DatasetLayoutError extends PrecogError {
  readonly code = 'DATASET_LAYOUT_INVALID' as const;
  /** The column name or metadata key at fault. */
  readonly key: string;
  readonly reason: string;

  constructor(key: string, reason: string) {
    super(`dataset layout: ${JSON.stringify(key)}: ${reason}`, { key, reason });
    this.key = key;
    this.reason = reason;
  }
}

/** A batch handed to the writer has a wrong shape or a value the file cannot hold; the write was abandoned. */
export class DatasetBatchError extends PrecogError {
  readonly code = 'DATASET_BATCH_INVALID' as const;
  readonly column: string;
  /** Index of the offending row inside the batch, or -1 when the problem is the column as a whole. */
  readonly row: number;
  readonly value: string;
  readonly reason: string;

  constructor(column: string, row: number, value: unknown, reason: string) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    const at = row >= 0 ? ` row ${row}` : '';
    super(`dataset batch: column ${column}${at} ${shown}: ${reason}`, { column, row, value: shown, reason });
    this.column = column;
    this.row = row;
    this.value = shown;
    this.reason = reason;
  }
}

/** A dataset writer was used out of order: after finish/abort/failure, or while another call is running. */
export class DatasetWriterStateError extends PrecogError {
  readonly code = 'DATASET_WRITER_STATE' as const;
  readonly path: string;
  readonly operation: string;
  readonly state: string;

  constructor(path: string, operation: string, state: string) {
    super(`${path}: cannot ${operation} a dataset writer that is ${state}`, { path, operation, state });
    this.path = path;
    this.operation = operation;
    this.state = state;
  }
}

/** A dataset spec that fails its schema or names something that does not fit. */
export class InvalidDatasetSpecError extends PrecogError {
  readonly code = 'INVALID_DATASET_SPEC' as const;
}

/** A built value came from after its label time: the build is aborted. */
export class LeakageError extends PrecogError {
  readonly code = 'LEAKAGE' as const;
}

/** No dataset is registered under that name@version. */
export class DatasetNotFoundError extends PrecogError {
  readonly code = 'DATASET_NOT_FOUND' as const;
}

/** A registered dataset version was built again with different content. */
export class DatasetImmutableError extends PrecogError {
  readonly code = 'DATASET_IMMUTABLE' as const;
}

/** A dataset's file or audit no longer matches the database or its registration. */
export class DatasetVerificationError extends PrecogError {
  readonly code = 'DATASET_VERIFICATION' as const;
}
