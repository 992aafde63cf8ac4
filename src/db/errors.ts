import { PrecogError } from '../errors.js';

/** The embedded database directory is held by another live process. */
export class DatabaseLockedError extends PrecogError {
  readonly code = 'DATABASE_LOCKED' as const;
}

/** A write broke a rule the database enforces (CHECK, UNIQUE, FK, EXCLUDE, trigger). */
export class ConstraintViolationError extends PrecogError {
  readonly code = 'CONSTRAINT_VIOLATION' as const;
}

/** An SCD Type 2 write was not allowed (no current version, time going backwards, …). */
export class VersioningError extends PrecogError {
  readonly code = 'VERSIONING' as const;
}

/** The schema is older than the code needs, or a migration failed. */
export class MigrationError extends PrecogError {
  readonly code = 'MIGRATION' as const;
}
