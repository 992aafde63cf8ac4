import { z } from 'zod';
import type { core } from 'zod';

import { InvalidHyperparameterError, type HyperparameterIssue } from './errors.js';
import { parseModelType, type ModelType } from './model-types.js';

/** The hidden-layer activations an MLP may use. */
export const MLP_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;

/** One of {@link MLP_ACTIVATIONS}. */
export type MlpActivation = (typeof MLP_ACTIVATIONS)[number];

/** Hyperparameters of a logistic regression (one sigmoid unit, trained with Adam). */
export interface LogisticHyperparameters {
  /** Adam step size. */
  readonly learningRate: number;
  /** Passes over the training rows. */
  readonly epochs: number;
  /** Rows per gradient step (the last batch of an epoch may be smaller). */
  readonly batchSize: number;
  /** L2 penalty: `l2 · Σ w²` over the kernel weights (not biases) is added to each batch's mean loss. */
  readonly l2: number;
  /** Seeds the weight initializers and the one row permutation before training. */
  readonly seed: number;
}

/** Hyperparameters of a multi-layer perceptron: hidden dense layers, then one sigmoid unit. */
export interface MlpHyperparameters extends LogisticHyperparameters {
  /** Units per hidden layer, input side first. */
  readonly hiddenUnits: readonly number[];
  readonly activation: MlpActivation;
  /** Dropout rate after each hidden layer during training, in [0, 1). */
  readonly dropout: number;
}

/** The hyperparameters of either model type. */
export type Hyperparameters = LogisticHyperparameters | MlpHyperparameters;

/** The hyperparameters of model type `T`. */
export type HyperparametersFor<T extends ModelType> = T extends 'mlp' ? MlpHyperparameters : LogisticHyperparameters;

/** What every unspecified hyperparameter is. */
export const HYPERPARAMETER_DEFAULTS: { readonly logistic: LogisticHyperparameters; readonly mlp: MlpHyperparameters } =
  Object.freeze({
    logistic: Object.freeze({ learningRate: 0.05, epochs: 50, batchSize: 1024, l2: 0, seed: 42 }),
    mlp: Object.freeze({
      hiddenUnits: Object.freeze([16]),
      activation: 'relu',
      dropout: 0,
      learningRate: 0.01,
      epochs: 50,
      batchSize: 256,
      l2: 1e-4,
      seed: 42,
    }),
  });

const commonShape = {
  learningRate: z.number().positive().max(10),
  epochs: z.number().int().min(1).max(100_000),
  batchSize: z.number().int().min(1).max(1_000_000),
  l2: z.number().min(0).max(100),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
};

const schemas = {
  logistic: z.strictObject(commonShape),
  mlp: z.strictObject({
    ...commonShape,
    hiddenUnits: z.array(z.number().int().min(1).max(4096)).min(1).max(16),
    activation: z.enum(MLP_ACTIVATIONS),
    dropout: z.number().min(0).lt(1),
  }),
} as const;

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Validates hyperparameters for `type` and returns a frozen object with every key, the
 * unspecified ones taken from {@link HYPERPARAMETER_DEFAULTS}. `input` is one of:
 * - undefined or null: all defaults;
 * - an object `{ epochs: 50, hiddenUnits: [16, 8] }`, whose values may also be strings
 *   (`{ epochs: '50' }`); an undefined value counts as unset;
 * - a list of `key=value` strings as the CLI's repeated `--hp` gives them
 *   (`['epochs=50', 'hiddenUnits=16,8']`; `hiddenUnits` also as `[16,8]`).
 * Strings are read as plain decimal numbers (`1e-3` too; not `0x10`, not empty). Keys are
 * exact (camelCase); an unknown key, a key given twice, a `--hp` entry without `=`, or a
 * value out of range throws {@link InvalidHyperparameterError} naming the first bad key and
 * listing all of them. An unknown `type` throws `UnknownModelTypeError`.
 */
export function parseHyperparameters(type: 'logistic', input?: unknown): LogisticHyperparameters;
export function parseHyperparameters(type: 'mlp', input?: unknown): MlpHyperparameters;
export function parseHyperparameters(type: string, input?: unknown): Hyperparameters;
export function parseHyperparameters(type: string, input?: unknown): Hyperparameters {
  const modelType = parseModelType(type);
  const issues: HyperparameterIssue[] = [];
  const entries = readEntries(input, issues);
  const known = Object.keys(HYPERPARAMETER_DEFAULTS[modelType]);
  const given: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (!known.includes(key)) {
      issues.push({ key, value, reason: `unknown hyperparameter for ${modelType}; expected one of ${known.join(', ')}` });
    } else if (Object.hasOwn(given, key)) {
      issues.push({ key, value, reason: 'given more than once' });
    } else {
      given[key] = coerce(key, value);
    }
  }
  const candidate = { ...HYPERPARAMETER_DEFAULTS[modelType], ...given };
  if (modelType === 'mlp') {
    const parsed = schemas.mlp.safeParse(candidate);
    if (parsed.success && issues.length === 0) {
      return Object.freeze({ ...parsed.data, hiddenUnits: Object.freeze([...parsed.data.hiddenUnits]) });
    }
    if (!parsed.success) issues.push(...parsed.error.issues.map((issue) => describeIssue(issue, given)));
  } else {
    const parsed = schemas.logistic.safeParse(candidate);
    if (parsed.success && issues.length === 0) return Object.freeze(parsed.data);
    if (!parsed.success) issues.push(...parsed.error.issues.map((issue) => describeIssue(issue, given)));
  }
  const [first, ...rest] = issues;
  throw new InvalidHyperparameterError(modelType, [first ?? { key: '(root)', value: input, reason: 'invalid' }, ...rest]);
}

/** The keys {@link parseHyperparameters} accepts for each model type. */
export function hyperparameterKeys(type: ModelType): readonly string[] {
  return Object.keys(HYPERPARAMETER_DEFAULTS[type]);
}

function readEntries(input: unknown, issues: HyperparameterIssue[]): [string, unknown][] {
  if (input === undefined || input === null) return [];
  if (Array.isArray(input)) {
    const entries: [string, unknown][] = [];
    for (const item of input as readonly unknown[]) {
      const eq = typeof item === 'string' ? item.indexOf('=') : -1;
      if (typeof item !== 'string' || eq <= 0) {
        const key = typeof item === 'string' && item.length > 0 ? item : '(entry)';
        issues.push({ key, value: item, reason: 'expected key=value' });
        continue;
      }
      entries.push([item.slice(0, eq).trim(), item.slice(eq + 1).trim()]);
    }
    return entries;
  }
  // An undefined value is an unset key, as with optional properties.
  if (typeof input === 'object') return Object.entries(input).filter(([, value]) => value !== undefined);
  issues.push({ key: '(root)', value: input, reason: 'expected an object or a list of key=value strings' });
  return [];
}

function coerce(key: string, value: unknown): unknown {
  if (key === 'hiddenUnits') {
    if (typeof value === 'number') return [value];
    if (typeof value !== 'string') return value;
    const inner = value.trim().replace(/^\[(.*)\]$/s, '$1').trim();
    return inner === '' ? [] : inner.split(',').map((part) => toNumber(part.trim()));
  }
  if (key === 'activation') return value;
  return typeof value === 'string' ? toNumber(value) : value;
}

// A string that is not a plain number stays a string, so zod reports it as "expected number".
function toNumber(text: string): number | string {
  return NUMBER_TEXT.test(text) ? Number(text) : text;
}

function describeIssue(issue: core.$ZodIssue, given: Record<string, unknown>): HyperparameterIssue {
  const [top, ...restPath] = issue.path.map(String);
  const key = top ?? '(root)';
  const value = top === undefined ? undefined : given[top];
  const reason = restPath.length > 0 ? `[${restPath.join('.')}] ${issue.message}` : issue.message;
  return { key, value, reason };
}

