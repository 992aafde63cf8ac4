import { z } from 'zod';

import { InvalidTrainingDataError } from './errors.js';
import { viewMatrix, type FeatureMatrix } from './feature-matrix.js';

/** How one feature column is standardized, as fitted on the training rows. */
export interface StandardizedColumn {
  /** The feature's name, when the caller gave names. */
  readonly name: string | null;
  /** Mean of the training rows' observed values (0 when none was observed). */
  readonly mean: number;
  /** Population standard deviation of those values; 1 when it is 0 or nothing was observed. */
  readonly std: number;
  /** Training rows whose value was missing (null or NaN). */
  readonly missing: number;
  /** What a missing value is replaced by before standardizing: the training mean (→ 0). */
  readonly imputedValue: number;
}

/** A fitted standardizer: a plain, frozen, JSON-serializable value. */
export interface FittedStandardizer {
  readonly version: 1;
  /** Training rows it was fitted on. */
  readonly rows: number;
  readonly imputation: 'training-mean';
  readonly columns: readonly StandardizedColumn[];
}

/**
 * Fits mean and standard deviation per column on `X` — the training rows only; never fit
 * it on rows the model will be evaluated on. Missing values (null, NaN) are left out of
 * both and later imputed with the training mean, i.e. 0 after standardization; their count
 * per column is recorded. A column with zero spread, or with no observed value, gets
 * std 1 (it standardizes to a constant 0). ±Infinity throws {@link InvalidTrainingDataError}.
 * Sums run in float64.
 */
export function fitStandardizer(X: FeatureMatrix, featureNames?: readonly string[]): FittedStandardizer {
  const view = viewMatrix(X);
  if (featureNames !== undefined && featureNames.length !== view.cols) {
    throw new InvalidTrainingDataError('featureNames', null, featureNames.length, `expected ${view.cols} names`);
  }
  const columns: StandardizedColumn[] = [];
  for (let c = 0; c < view.cols; c++) {
    let n = 0;
    let sum = 0;
    for (let r = 0; r < view.rows; r++) {
      const v = checked(view.at(r, c), r, c);
      if (Number.isNaN(v)) continue;
      n += 1;
      sum += v;
    }
    const mean = n === 0 ? 0 : sum / n;
    let squares = 0;
    for (let r = 0; r < view.rows; r++) {
      const v = view.at(r, c);
      if (!Number.isNaN(v)) squares += (v - mean) ** 2;
    }
    const spread = n === 0 ? 0 : Math.sqrt(squares / n);
    columns.push(
      Object.freeze({
        name: featureNames?.[c] ?? null,
        mean,
        std: spread > 0 && Number.isFinite(spread) ? spread : 1,
        missing: view.rows - n,
        imputedValue: mean,
      }),
    );
  }
  return Object.freeze({ version: 1, rows: view.rows, imputation: 'training-mean', columns: Object.freeze(columns) });
}

/**
 * Standardizes `X` with a fitted standardizer into a row-major Float32Array (rows × cols):
 * `(x − mean) / std`, and 0 for a missing value. `X` must have the fitted column count.
 */
export function standardize(standardizer: FittedStandardizer, X: FeatureMatrix): Float32Array {
  const view = viewMatrix(X);
  const { columns } = standardizer;
  if (view.cols !== columns.length) {
    throw new InvalidTrainingDataError('X', null, `${view.cols} columns`, `the model was fitted on ${columns.length}`);
  }
  const out = new Float32Array(view.rows * view.cols);
  columns.forEach(({ mean, std }, c) => {
    for (let r = 0; r < view.rows; r++) {
      const v = checked(view.at(r, c), r, c);
      out[r * view.cols + c] = Number.isNaN(v) ? 0 : (v - mean) / std;
    }
  });
  return out;
}

const standardizerSchema = z.strictObject({
  version: z.literal(1),
  rows: z.number().int().min(0),
  imputation: z.literal('training-mean'),
  columns: z
    .array(
      z.strictObject({
        name: z.string().nullable(),
        mean: z.number(),
        std: z.number().positive(),
        missing: z.number().int().min(0),
        imputedValue: z.number(),
      }),
    )
    .min(1),
});

/** Validates a standardizer read back from JSON and returns it frozen; throws zod's error. */
export function parseStandardizer(input: unknown): FittedStandardizer {
  const s = standardizerSchema.parse(input);
  return Object.freeze({ ...s, columns: Object.freeze(s.columns.map((c) => Object.freeze(c))) });
}

function checked(v: number, row: number, col: number): number {
  if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
    throw new InvalidTrainingDataError(`X column ${col}`, row, v, 'must be finite (null or NaN for missing)');
  }
  return v;
}
