import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { accuracy } from '../../../src/training/metrics/accuracy.js';
import { EmptySampleError } from '../../../src/training/metrics/errors.js';
import { SAMPLE, arbPerfect, arbPrediction } from './fixtures.js';

describe('accuracy', () => {
  it('counts decided games only: 2 right of 3, the tie left out', () => {
    expect(accuracy(SAMPLE)).toBeCloseTo(2 / 3, 15);
  });

  it('reads p = 0.5 as a pick of outcome 1', () => {
    expect(accuracy([{ probability: 0.5, outcome: 1 }])).toBe(1);
    expect(accuracy([{ probability: 0.5, outcome: 0 }])).toBe(0);
    expect(accuracy([{ probability: 0.4999999, outcome: 0 }])).toBe(1);
  });

  it('needs at least one decided game', () => {
    expect(() => accuracy([{ probability: 0.7, outcome: 0.5 }])).toThrow(EmptySampleError);
    expect(() => accuracy([])).toThrow(EmptySampleError);
  });

  it('is 1 for perfect predictions and 1 − itself for flipped ones (properties)', () => {
    fc.assert(fc.property(fc.array(arbPerfect, { minLength: 1 }), (p) => accuracy(p) === 1));
    fc.assert(
      fc.property(
        fc.array(arbPrediction.filter((p) => p.outcome !== 0.5 && p.probability !== 0.5), { minLength: 1 }),
        (p) => {
          const flipped = p.map((x) => ({ probability: 1 - x.probability, outcome: x.outcome }));
          // 1 − p can land on 0.5 only when p was 0.5, which the filter excludes.
          expect(accuracy(flipped)).toBeCloseTo(1 - accuracy(p), 12);
        },
      ),
    );
  });
});
