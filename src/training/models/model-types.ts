import { UnknownModelTypeError } from './errors.js';

/** The model types trained on TensorFlow.js. */
export const MODEL_TYPES = ['logistic', 'mlp'] as const;

/** One of {@link MODEL_TYPES}. */
export type ModelType = (typeof MODEL_TYPES)[number];

/** True when `value` is one of {@link MODEL_TYPES}. */
export function isModelType(value: unknown): value is ModelType {
  return MODEL_TYPES.some((t) => t === value);
}

/** Returns `value` as a {@link ModelType}; throws {@link UnknownModelTypeError} otherwise. */
export function parseModelType(value: unknown): ModelType {
  if (!isModelType(value)) throw new UnknownModelTypeError(value, MODEL_TYPES);
  return value;
}
