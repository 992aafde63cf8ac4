import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { EmptySampleError, InvalidPredictionError } from '../../../src/training/metrics/errors.js';
import {
  gamePoints538,
  gamePoints538Tenths,
  probabilityPercent,
  seasonPoints538,
} from '../../../src/training/metrics/game-points-538.js';

describe('probabilityPercent', () => {
  it('rounds the exact binary value to whole percent', () => {
    expect(probabilityPercent(0.62)).toBe(62);
    expect(probabilityPercent(0.615)).toBe(61); // 0.615 is 0.61499999999999999… in binary
    expect(probabilityPercent(0.005)).toBe(1); // 0.005 is 0.00500000000000000010… in binary
    expect(probabilityPercent(0.125)).toBe(13); // an exact half: up
    expect(probabilityPercent(0.994999)).toBe(99);
    expect(probabilityPercent(1)).toBe(100);
    expect(probabilityPercent(0)).toBe(0);
  });
});

describe('gamePoints538', () => {
  it('scores 25 − 100·(round(p, 2) − result)², rounded half up to 0.1', () => {
    expect(gamePoints538(0.62, 1, false)).toBe(10.6); // 25 − 14.44 = 10.56
    expect(gamePoints538(0.62, 0, false)).toBe(-13.4); // 25 − 38.44 = −13.44
    expect(gamePoints538(0.55, 1, false)).toBe(4.8); // 4.75 → up
    expect(gamePoints538(0.55, 0, false)).toBe(-5.2); // −5.25 → up, towards +∞
    expect(gamePoints538(0.615, 0, false)).toBe(-12.2); // p rounds to 0.61: 25 − 37.21
    expect(gamePoints538(0.5, 1, false)).toBe(0);
    expect(gamePoints538(1, 1, false)).toBe(25);
    expect(gamePoints538(1, 0, false)).toBe(-75);
  });

  it('doubles playoff games after rounding', () => {
    expect(gamePoints538(0.62, 1, true)).toBe(21.2);
    expect(gamePoints538(0.55, 1, true)).toBe(9.6); // 2 × 4.8, not round(9.5)
    expect(gamePoints538Tenths(1, 0, true)).toBe(-1500);
  });

  it('skips ties and rejects bad input', () => {
    expect(gamePoints538(0.7, 0.5, false)).toBeNull();
    expect(gamePoints538Tenths(0.7, 0.5, true)).toBeNull();
    expect(() => gamePoints538(1.5, 1, false)).toThrow(InvalidPredictionError);
  });

  it('is an integer number of tenths in [−750, 250] (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0 as const, 1 as const), (p, o) => {
        const t = gamePoints538Tenths(p, o, false);
        expect(Number.isInteger(t)).toBe(true);
        expect(t).toBeGreaterThanOrEqual(-750);
        expect(t).toBeLessThanOrEqual(250);
      }),
    );
  });
});

describe('seasonPoints538', () => {
  it('sums per season exactly and averages over seasons with a decided game', () => {
    const result = seasonPoints538([
      { season: 2001, probability: 0.62, outcome: 1, playoff: false }, // 10.6
      { season: 2000, probability: 0.55, outcome: 0, playoff: false }, // −5.2
      { season: 2000, probability: 0.55, outcome: 1, playoff: true }, // 9.6
      { season: 2002, probability: 0.9, outcome: 0.5, playoff: false }, // tie: no season
    ]);
    expect([...result.bySeason]).toEqual([
      [2000, 4.4],
      [2001, 10.6],
    ]);
    expect(result.average).toBeCloseTo(7.5, 12);
  });

  it('names the index of a bad game and needs a decided one', () => {
    expect(() =>
      seasonPoints538([
        { season: 2000, probability: 0.5, outcome: 1, playoff: false },
        { season: 2000, probability: -0.1, outcome: 1, playoff: false },
      ]),
    ).toThrow(/#1: probability/);
    expect(() => seasonPoints538([{ season: 2000, probability: 0.5, outcome: 0.5, playoff: false }])).toThrow(
      EmptySampleError,
    );
  });
});
