import { describe, expect, it } from 'vitest';

import { initTensorflow } from '../../../src/training/backend/tf-backend.js';
import { modelFoldFitter } from '../../../src/training/evaluation/model-fold-fitter.js';
import { spreadBaseline } from '../../../src/training/evaluation/spread-baseline.js';
import { runWalkForward } from '../../../src/training/evaluation/walk-forward.js';
import { logisticData } from '../models/synthetic.js';

describe('modelFoldFitter', () => {
  it('walks forward a logistic model beside a spread baseline, freeing every fold', async () => {
    const rows = 1200;
    const { X, y, truth } = logisticData(rows, 2, 21);
    const seasons = Array.from({ length: rows }, (_, r) => 2001 + Math.floor(r / 300));
    const outcomes = Array.from(y);
    // A "spread" that carries the true probability, missing on every 10th game.
    const spreads = Array.from(truth, (p, r) => (r % 10 === 0 ? null : -Math.log(p / (1 - p)) * 8));
    const { tf, backend } = await initTensorflow();
    const before = tf.memory().numTensors;
    const result = await runWalkForward({ seasons, outcomes }, modelFoldFitter('logistic', { epochs: 20 }, X, y), {
      range: '2002:2004',
      baselines: { spread: spreadBaseline(spreads, outcomes) },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.folds.map((f) => [f.testSeason, f.trainRows, f.testRows, f.excludedRows])).toEqual([
      [2002, 300, 300, 30],
      [2003, 600, 300, 30],
      [2004, 900, 300, 30],
    ]);
    expect(result.folds[0]?.info['model']).toMatchObject({ backend });
    const model = result.overall.metrics?.['model'];
    const spread = result.overall.metrics?.['spread'];
    expect(model?.n).toBe(810);
    expect(spread?.n).toBe(810);
    // A real model on signal: clearly better than a coin flip (Brier 0.25).
    expect(model?.brier).toBeLessThan(0.21);
  });
});
