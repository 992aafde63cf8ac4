import { describe, expect, it } from 'vitest';

import { InvalidTrainingDataError } from '../../../src/training/models/errors.js';
import { selectRows } from '../../../src/training/models/feature-matrix.js';
import { fitStandardizer, parseStandardizer, standardize } from '../../../src/training/models/standardizer.js';

describe('fitStandardizer', () => {
  it('fits mean and population std on observed values and records the imputation', () => {
    const s = fitStandardizer([[1, 2, 3, null], [5, 5, Number.NaN, 5], [null, null, null, null]], ['a', 'b', 'c']);
    expect(s.rows).toBe(4);
    expect(s.columns[0]).toEqual({ name: 'a', mean: 2, std: Math.sqrt(2 / 3), missing: 1, imputedValue: 2 });
    // Zero spread and all-missing columns standardize to a constant 0.
    expect(s.columns[1]).toEqual({ name: 'b', mean: 5, std: 1, missing: 1, imputedValue: 5 });
    expect(s.columns[2]).toEqual({ name: 'c', mean: 0, std: 1, missing: 4, imputedValue: 0 });
  });

  it('standardizes new rows with the training statistics, missing → 0', () => {
    const s = fitStandardizer([[0, 2, 4]]);
    const std = Math.sqrt(8 / 3);
    const out = standardize(s, [[2, 6, null, Number.NaN]]);
    expect(Array.from(out)).toEqual(Array.from(Float32Array.from([0, 4 / std, 0, 0])));
  });

  it('reads row-major input the same as columns', () => {
    const cols = [[1, 2, 3], [10, 0, -4]];
    const rowMajor = { data: Float64Array.from([1, 10, 2, 0, 3, -4]), shape: [3, 2] as const };
    expect(fitStandardizer(rowMajor)).toEqual(fitStandardizer(cols));
    expect(standardize(fitStandardizer(cols), rowMajor)).toEqual(standardize(fitStandardizer(cols), cols));
    expect(selectRows(rowMajor, [2, 0])).toEqual([Float64Array.from([3, 1]), Float64Array.from([-4, 10])]);
  });

  it('rejects infinities, ragged columns, bad shapes and a wrong column count', () => {
    expect(() => fitStandardizer([[1, Number.POSITIVE_INFINITY]])).toThrow(InvalidTrainingDataError);
    expect(() => fitStandardizer([[1, 2], [1]])).toThrow(/column 1/);
    expect(() => fitStandardizer([])).toThrow(InvalidTrainingDataError);
    expect(() => fitStandardizer({ data: new Float32Array(5), shape: [2, 2] })).toThrow(/data.length 5/);
    expect(() => standardize(fitStandardizer([[1, 2]]), [[1], [2]])).toThrow(/fitted on 1/);
  });

  it('round-trips through JSON', () => {
    const s = fitStandardizer([[0.1, 0.7, null], [3, 1, 4]], ['x', 'y']);
    expect(parseStandardizer(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(() => parseStandardizer({ ...s, version: 2 })).toThrow();
  });
});
