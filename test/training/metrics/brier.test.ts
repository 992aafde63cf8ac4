import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { brier } from '../../../src/training/metrics/brier.js';
import { EmptySampleError, InvalidPredictionError } from '../../../src/training/metrics/errors.js';
import type { Outcome } from '../../../src/training/metrics/prediction.js';
import { SAMPLE, arbPerfect, arbPrediction } from './fixtures.js';

describe('brier', () => {
  it('is the mean squared error: (0.04 + 0.09 + 0.36 + 0) / 4', () => {
    expect(brier(SAMPLE)).toBeCloseTo(0.1225, 15);
    expect(brier([{ probability: 0.5, outcome: 1 }])).toBe(0.25);
  });

  it('rejects empty and malformed input', () => {
    expect(() => brier([])).toThrow(EmptySampleError);
    expect(() => brier([{ probability: 1.2, outcome: 1 }])).toThrow(InvalidPredictionError);
    expect(() => brier([{ probability: Number.NaN, outcome: 1 }])).toThrow(InvalidPredictionError);
    expect(() => brier([{ probability: 0.5, outcome: 0.3 as Outcome }])).toThrow(/#0: outcome/);
  });

  it('lies in [0, 1] and is 0 for perfect predictions (properties)', () => {
    fc.assert(
      fc.property(fc.array(arbPrediction, { minLength: 1 }), (p) => {
        const b = brier(p);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(1);
      }),
    );
    fc.assert(fc.property(fc.array(arbPerfect, { minLength: 1 }), (p) => brier(p) === 0));
  });
});
