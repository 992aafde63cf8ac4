import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed } from '../../../src/entities/synthetic/seeded-random.js';
import { mulberry32 } from '../../../src/random.js';

describe('seeded random', () => {
  it('mulberry32 matches its reference sequence for seed 1', () => {
    // The first draws (×2³²) of the widely copied JavaScript original (bryc's), so a refactor cannot drift.
    const next = mulberry32(1);
    expect([next(), next(), next()].map((x) => Math.round(x * 4_294_967_296))).toEqual([2_693_262_067, 11_749_833, 2_265_367_787]);
  });

  it('same seed, same sequence; draws stay in range', () => {
    const draws = (seed: number) => {
      const r = createRandom(seed);
      return Array.from({ length: 50 }, () => [r.next(), r.integer(-3, 3), r.normal()] as const);
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (seed) => {
        const a = draws(seed);
        expect(draws(seed)).toEqual(a);
        const bad = a.filter(([x, k, z]) => !(x >= 0 && x < 1 && Number.isInteger(k) && k >= -3 && k <= 3 && Number.isFinite(z)));
        expect(bad).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('normal draws have the requested mean and standard deviation', () => {
    const random = createRandom(7);
    const xs = Array.from({ length: 20_000 }, () => random.normal(3, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(3, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('shuffle is a permutation and leaves its input alone', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = createRandom(3).shuffle(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('derived streams differ by name and by seed, and are stable', () => {
    expect(deriveSeed(1, 'scores')).toBe(deriveSeed(1, 'scores'));
    expect(deriveSeed(1, 'scores')).not.toBe(deriveSeed(1, 'market'));
    expect(deriveSeed(1, 'scores')).not.toBe(deriveSeed(2, 'scores'));
  });
});
