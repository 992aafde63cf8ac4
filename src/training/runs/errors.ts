import { PrecogError } from '../../errors.js';

/** No training run with that id. */
export class RunNotFoundError extends PrecogError {
  readonly code = 'RUN_NOT_FOUND' as const;
}

/** A run cannot move to the requested status (it already finished). */
export class RunStateError extends PrecogError {
  readonly code = 'RUN_STATE' as const;
}

/** A run's walk-forward scored no game (the baselines cover none of its test games together, or it has none). */
export class NothingScoredError extends PrecogError {
  readonly code = 'NOTHING_SCORED' as const;
}
