import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { EmptySampleError } from '../../../src/training/metrics/errors.js';
import { logLoss } from '../../../src/training/metrics/log-loss.js';
import { SAMPLE, arbPerfect, arbPrediction } from './fixtures.js';

describe('logLoss', () => {
  it('is the mean cross-entropy, a tie costing −½(ln p + ln(1−p))', () => {
    // −(ln 0.8 + ln 0.7 + ln 0.4 + ln 0.5) / 4
    expect(logLoss(SAMPLE)).toBeCloseTo(0.5473141019217607, 14);
    expect(logLoss([{ probability: 0.5, outcome: 0.5 }])).toBeCloseTo(Math.LN2, 15);
  });

  it('clips p to [1e-15, 1 − 1e-15] so a sure miss costs −ln 1e-15', () => {
    expect(logLoss([{ probability: 0, outcome: 1 }])).toBeCloseTo(34.538776394910684, 10);
    // 1 − (1 − 1e-15) is 9.992e-16 in binary, so this side costs 34.5394, not 34.5388.
    expect(logLoss([{ probability: 1, outcome: 0 }])).toBeCloseTo(34.5388, 2);
    expect(Number.isFinite(logLoss([{ probability: 1, outcome: 0 }]))).toBe(true);
  });

  it('rejects an empty input', () => {
    expect(() => logLoss([])).toThrow(EmptySampleError);
  });

  it('is finite and ≥ 0, and ~0 for perfect predictions (properties)', () => {
    fc.assert(
      fc.property(fc.array(arbPrediction, { minLength: 1 }), (p) => {
        const l = logLoss(p);
        expect(Number.isFinite(l)).toBe(true);
        expect(l).toBeGreaterThanOrEqual(0);
      }),
    );
    fc.assert(fc.property(fc.array(arbPerfect, { minLength: 1 }), (p) => logLoss(p) < 1e-14));
  });
});
