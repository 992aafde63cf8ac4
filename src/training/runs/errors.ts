import { PrecogError } from '../../errors.js';

/** No training run with that id. */
export class RunNotFoundError extends PrecogError {
  readonly code = 'RUN_NOT_FOUND' as const;
}

/** A run cannot move to the requested status (it already finished). */
export class RunStateError extends PrecogError {
  readonly code = 'RUN_STATE' as const;
}
