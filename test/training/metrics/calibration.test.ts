import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { calibrationBins, expectedCalibrationError } from '../../../src/training/metrics/calibration.js';
import { InvalidMetricOptionError } from '../../../src/training/metrics/errors.js';
import { SAMPLE, arbPerfect, arbPrediction } from './fixtures.js';

describe('calibrationBins', () => {
  it('returns all 10 bins, empty ones with null means', () => {
    const bins = calibrationBins(SAMPLE);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([0, 0, 0, 1, 0, 1, 1, 0, 1, 0]);
    expect(bins[0]).toEqual({ index: 0, lower: 0, upper: 0.1, count: 0, meanProbability: null, observedRate: null });
    expect(bins[5]).toMatchObject({ lower: 0.5, upper: 0.6, meanProbability: 0.5, observedRate: 0.5 });
  });

  it('puts each edge in the bin above, and 1 in the last bin', () => {
    const bins = calibrationBins([
      { probability: 0, outcome: 0 },
      { probability: 0.1, outcome: 0 },
      { probability: 0.7, outcome: 1 },
      { probability: 1, outcome: 1 },
    ]);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 0, 0, 1, 0, 1]);
  });

  it('averages within a bin', () => {
    const bins = calibrationBins(
      [
        { probability: 0.12, outcome: 0 },
        { probability: 0.18, outcome: 1 },
      ],
      5,
    );
    expect(bins[0]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(bins[0]?.meanProbability).toBeCloseTo(0.15, 15);
  });

  it('rejects a bin count that is not a positive integer', () => {
    expect(() => calibrationBins(SAMPLE, 0)).toThrow(InvalidMetricOptionError);
    expect(() => calibrationBins(SAMPLE, 2.5)).toThrow(InvalidMetricOptionError);
  });
});

describe('expectedCalibrationError', () => {
  it('weights each bin gap by its count: (0.2 + 0.3 + 0.6 + 0) / 4', () => {
    expect(expectedCalibrationError(SAMPLE)).toBeCloseTo(0.275, 15);
    expect(
      expectedCalibrationError([
        { probability: 0.12, outcome: 0 },
        { probability: 0.18, outcome: 1 },
        { probability: 0.95, outcome: 1 },
      ]),
    ).toBeCloseTo((2 * 0.35 + 0.05) / 3, 15);
  });

  it('lies in [0, 1], is 0 for perfect predictions, and bin counts add up (properties)', () => {
    fc.assert(
      fc.property(fc.array(arbPrediction, { minLength: 1 }), (p) => {
        const e = expectedCalibrationError(p);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
        expect(calibrationBins(p).reduce((n, b) => n + b.count, 0)).toBe(p.length);
      }),
    );
    fc.assert(fc.property(fc.array(arbPerfect, { minLength: 1 }), (p) => expectedCalibrationError(p) === 0));
  });
});
