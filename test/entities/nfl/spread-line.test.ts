import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/entities/nfl/errors.js';
import { homeSpreadLine, spreadImpliedHomeWinProbability } from '../../../src/entities/nfl/spread-line.js';

describe('homeSpreadLine', () => {
  it('is the favourite line when home is favoured, its negation when away is, 0 for a pick', () => {
    expect(homeSpreadLine('home', -7)).toBe(-7);
    expect(homeSpreadLine('away', -7)).toBe(7);
    expect(homeSpreadLine('pick', 0)).toBe(0);
    expect(Object.is(homeSpreadLine('away', 0), 0)).toBe(true);
  });
});

describe('spreadImpliedHomeWinProbability', () => {
  it('is Φ(−line/σ): above 0.5 for a home favourite, 0.5 for a pick', () => {
    expect(spreadImpliedHomeWinProbability(0)).toBe(0.5);
    // A 13.45-point home favourite is one σ: Φ(1).
    expect(spreadImpliedHomeWinProbability(-13.45)).toBeCloseTo(0.8413447460685429, 14);
    expect(spreadImpliedHomeWinProbability(13.45)).toBeCloseTo(0.15865525393145707, 14);
    expect(spreadImpliedHomeWinProbability(-10, 10)).toBeCloseTo(0.8413447460685429, 14);
  });

  it('rejects a non-positive sigma', () => {
    expect(() => spreadImpliedHomeWinProbability(-3, 0)).toThrow(InvalidOptionError);
    expect(() => spreadImpliedHomeWinProbability(-3, Number.NaN)).toThrow(InvalidOptionError);
  });
});
