import { InvalidTrainingDataError } from './errors.js';

/** Row-major features: the value of row r, feature c is `data[r * cols + c]`. */
export interface RowMajorMatrix {
  readonly data: Float32Array | Float64Array;
  readonly shape: readonly [rows: number, cols: number];
}

/**
 * Model input: either one array per feature (all the same length; `null` or NaN = missing)
 * or a {@link RowMajorMatrix} (NaN = missing).
 */
export type FeatureMatrix = readonly ArrayLike<number | null>[] | RowMajorMatrix;

/** A matrix's size, and a reader that returns NaN for a missing value. */
export interface MatrixView {
  readonly rows: number;
  readonly cols: number;
  at(row: number, col: number): number;
}

/**
 * Checks `X` and returns a uniform view of it. Columns must all have the same length; a
 * row-major matrix's `data` must hold exactly rows × cols values; there must be at least
 * one feature. Throws {@link InvalidTrainingDataError} (`field` 'X' or 'shape').
 */
export function viewMatrix(X: FeatureMatrix): MatrixView {
  if (isRowMajor(X)) {
    const [rows, cols] = X.shape;
    if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(cols) && cols >= 1)) {
      throw new InvalidTrainingDataError('shape', null, `[${rows}, ${cols}]`, 'must be [rows ≥ 0, cols ≥ 1] integers');
    }
    if (X.data.length !== rows * cols) {
      throw new InvalidTrainingDataError('shape', null, `[${rows}, ${cols}]`, `does not match data.length ${X.data.length}`);
    }
    const { data } = X;
    return { rows, cols, at: (r, c) => data[r * cols + c] ?? Number.NaN };
  }
  const first = X[0];
  if (first === undefined) throw new InvalidTrainingDataError('X', null, undefined, 'needs at least one feature column');
  const rows = first.length;
  X.forEach((column, c) => {
    if (column.length !== rows) {
      throw new InvalidTrainingDataError('X', c, `length ${column.length}`, `column ${c} differs from column 0 (length ${rows})`);
    }
  });
  return { rows, cols: X.length, at: (r, c) => X[c]?.[r] ?? Number.NaN };
}

/** Number of rows of `X` (after the checks of {@link viewMatrix}). */
export function rowCount(X: FeatureMatrix): number {
  return viewMatrix(X).rows;
}

/**
 * The rows `rows` of `X`, in that order, as columns (Float64Array; missing → NaN).
 * Throws {@link InvalidTrainingDataError} on an index out of range.
 */
export function selectRows(X: FeatureMatrix, rows: ArrayLike<number>): Float64Array[] {
  const view = viewMatrix(X);
  const columns = Array.from({ length: view.cols }, () => new Float64Array(rows.length));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] ?? -1;
    if (!(Number.isInteger(r) && r >= 0 && r < view.rows)) {
      throw new InvalidTrainingDataError('rows', i, r, `must be a row index in [0, ${view.rows})`);
    }
    for (let c = 0; c < view.cols; c++) (columns[c] as Float64Array)[i] = view.at(r, c);
  }
  return columns;
}

function isRowMajor(X: FeatureMatrix): X is RowMajorMatrix {
  return !Array.isArray(X);
}
