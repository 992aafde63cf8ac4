import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { initTensorflow } from '../../../src/training/backend/tf-backend.js';
import { InvalidModelArtifactError } from '../../../src/training/models/errors.js';
import { loadModel, MODEL_FILES, saveModel } from '../../../src/training/models/model-io.js';
import { trainModel } from '../../../src/training/models/train-model.js';
import { logisticData } from './synthetic.js';

const DIR = mkdtempSync(path.join(tmpdir(), 'precog-model-io-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const DATA = logisticData(600, 4, 5);
const X = DATA.X.map((col) => Array.from(col, (v, r) => (r % 7 === 0 ? null : v)));

describe('saveModel / loadModel', () => {
  it.each([
    ['logistic', { epochs: 4 }],
    ['mlp', { epochs: 4, hiddenUnits: [6, 3], dropout: 0.2, activation: 'tanh' }],
  ] as const)('a loaded %s predicts exactly what the saved one did', async (type, hp) => {
    const { tf } = await initTensorflow();
    const before = tf.memory().numTensors;
    const model = await trainModel(type, hp, X, DATA.y, { featureNames: ['a', 'b', 'c', 'd'] });
    const files = await saveModel(model, path.join(DIR, type));
    expect(Object.values(files).slice(1).map((f) => path.basename(f))).toEqual(Object.values(MODEL_FILES));
    const loaded = await loadModel(files.dir);
    expect(loaded.predict(X)).toEqual(model.predict(X));
    expect(loaded.type).toBe(type);
    expect(loaded.hyperparameters).toEqual(model.hyperparameters);
    expect(loaded.standardizer).toEqual(model.standardizer);
    expect(loaded.lossHistory).toEqual(model.lossHistory);
    expect(loaded.trainedBackend).toBe(model.backend);

    // The same model gives the same bytes.
    const again = await saveModel(loaded, path.join(DIR, `${type}-again`));
    for (const key of ['model', 'weights', 'standardizer'] as const) {
      expect(readFileSync(again[key])).toEqual(readFileSync(files[key]));
    }
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes the TF.js layers-model format with Precog metadata', () => {
    const json = JSON.parse(readFileSync(path.join(DIR, 'mlp', MODEL_FILES.model), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({
      format: 'layers-model',
      weightsManifest: [{ paths: ['weights.bin'] }],
      userDefinedMetadata: { precog: { formatVersion: 1, type: 'mlp', featureCount: 4 } },
    });
  });

  it('rejects a missing file, bad JSON, a foreign format and disagreeing files', async () => {
    const { dir } = await saveModel(await trainModel('logistic', { epochs: 1 }, X, DATA.y), path.join(DIR, 'bad'));
    const modelPath = path.join(dir, MODEL_FILES.model);
    const standardizerPath = path.join(dir, MODEL_FILES.standardizer);
    const original = readFileSync(modelPath, 'utf8');
    const standardizer = readFileSync(standardizerPath, 'utf8');

    await expect(loadModel(path.join(DIR, 'nowhere'))).rejects.toThrow(InvalidModelArtifactError);
    writeFileSync(modelPath, '{ nope');
    await expect(loadModel(dir)).rejects.toThrow(/model\.json/);
    writeFileSync(modelPath, JSON.stringify({ ...JSON.parse(original), userDefinedMetadata: {} }));
    await expect(loadModel(dir)).rejects.toThrow(/precog/);
    writeFileSync(modelPath, original);
    const s = JSON.parse(standardizer) as { columns: unknown[] };
    writeFileSync(standardizerPath, JSON.stringify({ ...s, columns: s.columns.slice(1) }));
    await expect(loadModel(dir)).rejects.toThrow(/3 columns; model.json says 4/);
    writeFileSync(standardizerPath, standardizer);
    writeFileSync(path.join(dir, MODEL_FILES.weights), new Uint8Array(3));
    await expect(loadModel(dir)).rejects.toThrow(InvalidModelArtifactError);
  });
});
