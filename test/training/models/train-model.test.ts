import { describe, expect, it } from 'vitest';

import { initTensorflow } from '../../../src/training/backend/tf-backend.js';
import { brier } from '../../../src/training/metrics/brier.js';
import { InvalidTrainingDataError, ModelDisposedError } from '../../../src/training/models/errors.js';
import { trainModel } from '../../../src/training/models/train-model.js';
import { logisticData } from './synthetic.js';

const TRAIN = logisticData(5000, 3, 11);
const HOLDOUT = logisticData(5000, 3, 12);

describe('trainModel', () => {
  it('logistic recovers the coefficients of y ~ Bernoulli(sigmoid(2·x0 − x1))', async () => {
    const model = await trainModel('logistic', {}, TRAIN.X, TRAIN.y);
    try {
      const [kernel, bias] = model.network.getWeights().map((w) => Array.from(w.dataSync()));
      // Back to the original units: the network sees (x − mean) / std.
      const coef = (kernel ?? []).map((w, c) => w / (model.standardizer.columns[c]?.std ?? Number.NaN));
      // With n = 5000 the MLE's standard error is ≈ 0.05 per coefficient; ±0.2 is ~4 SE,
      // which also absorbs Adam's residual optimization error (≈ 0.01 at 50 epochs).
      expect(coef[0]).toBeGreaterThan(1.8);
      expect(coef[0]).toBeLessThan(2.2);
      expect(coef[1]).toBeGreaterThan(-1.2);
      expect(coef[1]).toBeLessThan(-0.8);
      expect(Math.abs(coef[2] ?? Number.NaN)).toBeLessThan(0.15);
      expect(Math.abs(bias?.[0] ?? Number.NaN)).toBeLessThan(0.15);

      // Out of sample it is nearly as good as the true probabilities: the Brier gap of a
      // correctly specified fit is O(parameters / n) ≈ 0.001; 0.005 leaves room.
      const p = model.predict(HOLDOUT.X);
      const outcomes = Array.from(HOLDOUT.y, (o) => (o === 1 ? 1 : 0) as 0 | 1);
      const modelBrier = brier(Array.from(p, (probability, i) => ({ probability, outcome: outcomes[i] ?? 0 })));
      const oracleBrier = brier(Array.from(HOLDOUT.truth, (probability, i) => ({ probability, outcome: outcomes[i] ?? 0 })));
      expect(modelBrier - oracleBrier).toBeLessThan(0.005);
      expect(modelBrier).toBeLessThan(0.2);
    } finally {
      model.dispose();
    }
  });

  it('is reproducible: the same seed gives bit-identical predictions, another seed does not', async () => {
    for (const [type, hp] of [
      ['logistic', { epochs: 5 }],
      ['mlp', { epochs: 5, hiddenUnits: [8, 4] }],
      ['mlp', { epochs: 5, hiddenUnits: [8], dropout: 0.3 }],
    ] as const) {
      const a = await trainModel(type, hp, TRAIN.X, TRAIN.y);
      const b = await trainModel(type, hp, TRAIN.X, TRAIN.y);
      const c = await trainModel(type, { ...hp, seed: 7 }, TRAIN.X, TRAIN.y);
      const [pa, pb, pc] = [a, b, c].map((m) => m.predict(HOLDOUT.X));
      expect(pa).toEqual(pb);
      expect(a.lossHistory).toEqual(b.lossHistory);
      expect(pc).not.toEqual(pa);
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  it('dropout changes training (a fresh mask per step) but not inference', async () => {
    const hp = { epochs: 3, hiddenUnits: [8] };
    const plain = await trainModel('mlp', hp, TRAIN.X, TRAIN.y);
    const dropped = await trainModel('mlp', { ...hp, dropout: 0.5 }, TRAIN.X, TRAIN.y);
    expect(dropped.lossHistory[0]).not.toBe(plain.lossHistory[0]);
    // Predicting twice gives the same: dropout is off at inference.
    expect(dropped.predict(HOLDOUT.X)).toEqual(dropped.predict(HOLDOUT.X));
    plain.dispose();
    dropped.dispose();
  });

  it('reports each epoch to onEpochEnd', async () => {
    const seen: [number, number][] = [];
    const model = await trainModel('logistic', { epochs: 4 }, TRAIN.X, TRAIN.y, {
      onEpochEnd: (epoch, loss) => seen.push([epoch, loss]),
    });
    expect(seen).toEqual(model.lossHistory.map((loss, i) => [i + 1, loss]));
    // Training lowers the loss.
    expect(model.lossHistory[3]).toBeLessThan(model.lossHistory[0] ?? 0);
    model.dispose();
  });

  it('frees every tensor: numTensors does not grow across fits', async () => {
    const { tf } = await initTensorflow();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const m = await trainModel(i === 1 ? 'logistic' : 'mlp', { epochs: 2, dropout: i === 2 ? 0.2 : undefined }, TRAIN.X, TRAIN.y);
      m.predict(HOLDOUT.X);
      m.dispose();
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('imputes missing features with the training mean and predicts probabilities', async () => {
    const X = TRAIN.X.map((col, c) => Array.from(col, (v, r) => (c === 0 && r % 10 === 0 ? null : v)));
    const model = await trainModel('logistic', { epochs: 3 }, X, TRAIN.y, { featureNames: ['x0', 'x1', 'x2'] });
    expect(model.standardizer.columns[0]).toMatchObject({ name: 'x0', missing: 500 });
    const p = model.predict([[null], [0], [0]]);
    expect(p).toHaveLength(1);
    expect(p[0]).toBeGreaterThan(0);
    expect(p[0]).toBeLessThan(1);
    expect(model.predict([[], [], []])).toEqual(new Float64Array(0));
    model.dispose();
    expect(() => model.predict(HOLDOUT.X)).toThrow(ModelDisposedError);
  });

  it('rejects bad inputs', async () => {
    await expect(trainModel('logistic', {}, TRAIN.X, TRAIN.y.subarray(1))).rejects.toThrow(InvalidTrainingDataError);
    await expect(trainModel('logistic', {}, [[1, 2]], Float32Array.from([1, 2]))).rejects.toThrow(/y\[1\] 2/);
    await expect(trainModel('logistic', {}, [[]], new Float32Array(0))).rejects.toThrow(/at least one/);
    await expect(trainModel('logistic', { epochs: 0 }, [[1]], Float32Array.from([1]))).rejects.toThrow(/epochs/);
  });
});
