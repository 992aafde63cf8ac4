import { PrecogError } from '../../errors.js';
import type { BackendAttempt } from './tf-backend.js';

/** No TensorFlow.js backend could be initialized, not even the pure-JS 'cpu' one. */
export class TensorflowUnavailableError extends PrecogError {
  readonly code = 'TENSORFLOW_UNAVAILABLE' as const;
  readonly attempts: readonly BackendAttempt[];

  constructor(attempts: readonly BackendAttempt[]) {
    super(
      `no TensorFlow.js backend could be initialized: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`,
      { attempts },
    );
    this.attempts = attempts;
  }
}
