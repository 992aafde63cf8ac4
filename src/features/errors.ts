import { PrecogError } from '../errors.js';

/** A `name@version` string that does not parse. */
export class InvalidFeatureRefError extends PrecogError {
  readonly code = 'INVALID_FEATURE_REF' as const;
}

/** A feature definition that fails its schema. */
export class InvalidFeatureDefinitionError extends PrecogError {
  readonly code = 'INVALID_FEATURE_DEFINITION' as const;
}

/** No feature is registered under that name@version. */
export class FeatureNotFoundError extends PrecogError {
  readonly code = 'FEATURE_NOT_FOUND' as const;
}

/** A different definition is already registered under that name@version. */
export class FeatureVersionConflictError extends PrecogError {
  readonly code = 'FEATURE_VERSION_CONFLICT' as const;
  constructor(
    readonly ref: string,
    readonly differences: readonly string[],
  ) {
    super(
      `${ref} is already registered with a different definition (${differences.join(', ')} differ); ` +
        `a registered version is immutable: register a new version`,
      { ref, differences },
    );
  }
}

/** A status change the transition table does not allow. */
export class FeatureStatusError extends PrecogError {
  readonly code = 'FEATURE_STATUS' as const;
}

/** A retrieval request that cannot be served (bad TTL, entity kind mismatch, …). */
export class RetrievalError extends PrecogError {
  readonly code = 'RETRIEVAL' as const;
}

/** An ingest failed in the database for a reason that is not its input's (e.g. the disk is full); nothing of it was written. */
export class IngestFailedError extends PrecogError {
  readonly code = 'INGEST_FAILED' as const;
}
