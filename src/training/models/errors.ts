import { FieldValueError, PrecogError } from '../../errors.js';

/** One rejected hyperparameter: its key (`(root)` for the whole input) and why. */
export interface HyperparameterIssue {
  readonly key: string;
  readonly value: unknown;
  readonly reason: string;
}

/**
 * Hyperparameters failed validation. `key` names the first bad one (`epochs`,
 * `hiddenUnits`); `issues` lists every rejected key.
 */
export class InvalidHyperparameterError extends PrecogError {
  readonly code = 'INVALID_HYPERPARAMETER' as const;
  readonly modelType: string;
  readonly key: string;
  readonly issues: readonly HyperparameterIssue[];

  constructor(modelType: string, issues: readonly [HyperparameterIssue, ...HyperparameterIssue[]]) {
    super(
      `invalid ${modelType} hyperparameters: ${issues
        .map((i) => `${i.key}${i.value === undefined ? '' : ` ${JSON.stringify(i.value)}`}: ${i.reason}`)
        .join('; ')}`,
      { modelType, key: issues[0].key, issues },
    );
    this.modelType = modelType;
    this.key = issues[0].key;
    this.issues = issues;
  }
}

/** A model type that is not one of `MODEL_TYPES`. */
export class UnknownModelTypeError extends PrecogError {
  readonly code = 'UNKNOWN_MODEL_TYPE' as const;
  readonly value: unknown;

  constructor(value: unknown, known: readonly string[]) {
    super(`unknown model type ${JSON.stringify(value)}; expected one of ${known.join(', ')}`, { value, known });
    this.value = value;
  }
}

/**
 * Training or prediction input is malformed: shapes that disagree, a label outside [0, 1],
 * an infinite feature. `field` is `X`, `y` or `shape`; `index` the first bad position.
 */
export class InvalidTrainingDataError extends FieldValueError {
  readonly code = 'INVALID_TRAINING_DATA' as const;
}

/** A saved model directory is missing a file or holds something Precog did not write. */
export class InvalidModelArtifactError extends PrecogError {
  readonly code = 'INVALID_MODEL_ARTIFACT' as const;
  readonly path: string;

  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`${path}: ${reason}`, { path, reason }, options);
    this.path = path;
  }
}

/** A fitted model was used after `dispose()`. */
export class ModelDisposedError extends PrecogError {
  readonly code = 'MODEL_DISPOSED' as const;

  constructor(operation: string) {
    super(`cannot ${operation}: the model has been disposed`, { operation });
  }
}
