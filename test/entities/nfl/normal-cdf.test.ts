import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf } from '../../../src/entities/nfl/normal-cdf.js';

// Reference values (double precision) from standard tables / scipy.special.
const PHI: ReadonlyArray<readonly [number, number]> = [
  [0, 0.5],
  [1, 0.8413447460685429],
  [-1, 0.15865525393145707],
  [1.96, 0.9750021048517795],
  [2.5, 0.9937903346742238],
  [-3, 0.0013498980316301035],
  [4, 0.9999683287581669],
  [-5, 2.866515718791939e-7],
  [-8, 6.22096057427178e-16],
];

describe('normalCdf', () => {
  it.each(PHI)('Φ(%f) = %f to within 1e-12', (z, expected) => {
    expect(Math.abs(normalCdf(z) - expected)).toBeLessThan(1e-12);
  });

  it('keeps relative accuracy in the far tail', () => {
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 10);
    expect(normalCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 10);
  });

  it('is symmetric and monotone across the series / continued-fraction seam', () => {
    let previous = 0;
    let decreases = 0;
    let worstSymmetry = 0;
    for (let i = -9000; i <= 9000; i++) {
      const z = i / 1000;
      const p = normalCdf(z);
      if (p < previous) decreases++;
      worstSymmetry = Math.max(worstSymmetry, Math.abs(p + normalCdf(-z) - 1));
      previous = p;
    }
    expect(decreases).toBe(0);
    expect(worstSymmetry).toBeLessThan(1e-15);
  });
});

describe('erf and erfc', () => {
  it('match known values', () => {
    expect(Math.abs(erf(0.5) - 0.5204998778130465)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(2) - 0.004677734981047266)).toBeLessThan(1e-15);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 12);
    expect(erfc(10) / 2.088487583762545e-45).toBeCloseTo(1, 12);
    expect(erf(-3.5)).toBeCloseTo(-0.9999992569016276, 15);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 15);
    expect(Number.isNaN(erf(Number.NaN))).toBe(true);
  });
});
