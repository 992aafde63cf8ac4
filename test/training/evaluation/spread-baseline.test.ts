import { describe, expect, it } from 'vitest';

import { normalCdf } from '../../../src/entities/nfl/normal-cdf.js';
import { InvalidEvaluationInputError } from '../../../src/training/evaluation/errors.js';
import {
  fitSpreadSigma,
  SPREAD_SIGMA_BOUNDS,
  spreadBaseline,
  spreadProbability,
} from '../../../src/training/evaluation/spread-baseline.js';
import { runWalkForward } from '../../../src/training/evaluation/walk-forward.js';
import { normal, uniform } from '../models/synthetic.js';

/** Games whose home margin is −spread + N(0, σ²): the spread model holds with this σ. */
function games(n: number, sigma: number, seed: number): { spreads: number[]; outcomes: (0 | 1)[] } {
  const u = uniform(seed);
  const z = normal(seed + 1);
  const spreads = Array.from({ length: n }, () => Math.round(u() * 56 - 28) / 2);
  const outcomes = spreads.map((s) => (-s + sigma * z() > 0 ? 1 : 0) as 0 | 1);
  return { spreads, outcomes };
}

function meanLogLoss(spreads: readonly number[], outcomes: readonly number[], sigma: number): number {
  let total = 0;
  spreads.forEach((s, i) => {
    const p = spreadProbability(s, sigma);
    total -= (outcomes[i] ?? 0) * Math.log(p) + (1 - (outcomes[i] ?? 0)) * Math.log(1 - p);
  });
  return total / spreads.length;
}

describe('spreadProbability', () => {
  it('is Φ(−spread/σ): a home favourite is above ½', () => {
    expect(spreadProbability(-7, 13.5)).toBe(normalCdf(7 / 13.5));
    expect(spreadProbability(-7, 13.5)).toBeCloseTo(0.698, 3);
    expect(spreadProbability(0, 13.5)).toBe(0.5);
    expect(spreadProbability(3, 13.5)).toBeLessThan(0.5);
  });
});

describe('fitSpreadSigma', () => {
  it('recovers σ by maximum likelihood', () => {
    const { spreads, outcomes } = games(20_000, 13.5, 3);
    const fit = fitSpreadSigma(spreads, outcomes);
    // SE of the MLE here is ≈ 0.3 points; 1.0 is > 3 SE.
    expect(Math.abs(fit.sigma - 13.5)).toBeLessThan(1);
    expect(fit).toMatchObject({ n: 20_000, atBound: false });
    // It is the minimum: no σ on a fine grid does better.
    for (let s = 5; s <= 30; s += 0.25) expect(fit.logLoss).toBeLessThanOrEqual(meanLogLoss(spreads, outcomes, s) + 1e-12);
    expect(fit.logLoss).toBeCloseTo(meanLogLoss(spreads, outcomes, fit.sigma), 12);
  });

  it('skips missing spreads, counts ties as half, and reports a σ on the bound', () => {
    const fit = fitSpreadSigma([-3, null, 3, Number.NaN, -7], [1, 0, 0, 1, 0.5]);
    expect(fit.n).toBe(3);
    // Spreads that are never wrong push σ to its lower bound.
    const perfect = fitSpreadSigma([-3, 3, -7, 10], [1, 0, 1, 0]);
    expect(perfect.atBound).toBe(true);
    expect(perfect.sigma).toBeCloseTo(SPREAD_SIGMA_BOUNDS.min, 6);
  });

  it('rejects inputs that cannot determine σ', () => {
    expect(() => fitSpreadSigma([0, 0, null], [1, 0, 1])).toThrow(InvalidEvaluationInputError);
    expect(() => fitSpreadSigma([1, 2], [1])).toThrow(/length/);
    expect(() => fitSpreadSigma([1, 2], [1, 2])).toThrow(/outcome\[1\]/);
  });
});

describe('spreadBaseline in a walk-forward', () => {
  it('fits σ on the training seasons only', async () => {
    const a = games(3000, 10, 8);
    const b = games(3000, 20, 9);
    const seasons = [...a.spreads.map(() => 2001), ...b.spreads.map(() => 2002)];
    const spreads = [...a.spreads, ...b.spreads];
    const outcomes = [...a.outcomes, ...b.outcomes];
    const result = await runWalkForward(
      { seasons, outcomes },
      () => ({ predict: (rows) => rows.map(() => 0.5) }),
      { range: '2002:2002', baselines: { spread: spreadBaseline(spreads, outcomes) } },
    );
    const sigma = result.folds[0]?.info['spread']?.['sigma'];
    expect(sigma).toBe(fitSpreadSigma(a.spreads, a.outcomes).sigma);
    expect(result.predictions.series['spread']?.[0]).toBe(spreadProbability(b.spreads[0] ?? NaN, Number(sigma)));
  });
});
