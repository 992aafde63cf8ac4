import { PrecogError } from '../errors.js';

/** A request named something that does not exist (a run id, a dataset, an entity): HTTP 404. */
export class UiNotFoundError extends PrecogError {
  readonly code = 'UI_NOT_FOUND' as const;
}

/** A request whose path or query string fails validation: HTTP 400. */
export class UiBadRequestError extends PrecogError {
  readonly code = 'UI_BAD_REQUEST' as const;
}

/** The UI server could not listen (port taken, host not available). */
export class UiServerError extends PrecogError {
  readonly code = 'UI_SERVER' as const;
}
