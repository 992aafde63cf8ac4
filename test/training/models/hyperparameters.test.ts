import { describe, expect, it } from 'vitest';

import { InvalidHyperparameterError, UnknownModelTypeError } from '../../../src/training/models/errors.js';
import {
  HYPERPARAMETER_DEFAULTS,
  hyperparameterKeys,
  parseHyperparameters,
} from '../../../src/training/models/hyperparameters.js';

function rejection(f: () => unknown): InvalidHyperparameterError {
  try {
    f();
  } catch (error) {
    if (error instanceof InvalidHyperparameterError) return error;
    throw error;
  }
  throw new Error('expected InvalidHyperparameterError');
}

describe('parseHyperparameters', () => {
  it('fills every unspecified key with the defaults, frozen', () => {
    const hp = parseHyperparameters('logistic');
    expect(hp).toEqual(HYPERPARAMETER_DEFAULTS.logistic);
    expect(Object.isFrozen(hp)).toBe(true);
    const mlp = parseHyperparameters('mlp', { epochs: 3 });
    expect(mlp).toEqual({ ...HYPERPARAMETER_DEFAULTS.mlp, epochs: 3 });
    expect(Object.isFrozen(mlp.hiddenUnits)).toBe(true);
  });

  it('reads --hp key=value strings, numbers as strings, and hiddenUnits lists', () => {
    expect(parseHyperparameters('mlp', ['epochs=50', 'learningRate=1e-3', 'hiddenUnits=16,8', 'activation=tanh'])).toMatchObject({
      epochs: 50,
      learningRate: 0.001,
      hiddenUnits: [16, 8],
      activation: 'tanh',
    });
    expect(parseHyperparameters('mlp', ['hiddenUnits=[32, 4]']).hiddenUnits).toEqual([32, 4]);
    expect(parseHyperparameters('mlp', { hiddenUnits: 8, dropout: '0.25' })).toMatchObject({ hiddenUnits: [8], dropout: 0.25 });
    expect(parseHyperparameters('logistic', { l2: '0.01', seed: 7 })).toMatchObject({ l2: 0.01, seed: 7 });
  });

  it('names the bad key: unknown, wrong type, out of range, malformed, repeated', () => {
    expect(rejection(() => parseHyperparameters('logistic', ['epoch=5'])).key).toBe('epoch');
    expect(rejection(() => parseHyperparameters('logistic', { hiddenUnits: [4] })).key).toBe('hiddenUnits');
    expect(rejection(() => parseHyperparameters('logistic', ['epochs=abc'])).key).toBe('epochs');
    expect(rejection(() => parseHyperparameters('logistic', ['epochs=0'])).key).toBe('epochs');
    expect(rejection(() => parseHyperparameters('logistic', ['epochs=2.5'])).key).toBe('epochs');
    expect(rejection(() => parseHyperparameters('logistic', ['learningRate=-1'])).key).toBe('learningRate');
    expect(rejection(() => parseHyperparameters('logistic', ['batchSize='])).key).toBe('batchSize');
    expect(rejection(() => parseHyperparameters('logistic', ['seed=0x10'])).key).toBe('seed');
    expect(rejection(() => parseHyperparameters('mlp', ['dropout=1'])).key).toBe('dropout');
    expect(rejection(() => parseHyperparameters('mlp', ['hiddenUnits=16,x'])).key).toBe('hiddenUnits');
    expect(rejection(() => parseHyperparameters('mlp', ['hiddenUnits=[]'])).key).toBe('hiddenUnits');
    expect(rejection(() => parseHyperparameters('mlp', ['activation=softmax'])).key).toBe('activation');
    expect(rejection(() => parseHyperparameters('logistic', ['epochs'])).key).toBe('epochs');
    expect(rejection(() => parseHyperparameters('logistic', ['epochs=5', 'epochs=6'])).key).toBe('epochs');
    expect(rejection(() => parseHyperparameters('logistic', 'epochs=5')).key).toBe('(root)');
  });

  it('lists every bad key and says which model type', () => {
    const error = rejection(() => parseHyperparameters('mlp', ['epochs=0', 'colour=red', 'dropout=2']));
    expect(error.code).toBe('INVALID_HYPERPARAMETER');
    expect(error.modelType).toBe('mlp');
    expect(error.issues.map((i) => i.key).sort()).toEqual(['colour', 'dropout', 'epochs']);
    expect(error.message).toMatch(/colour "red": unknown hyperparameter for mlp/);
  });

  it('rejects an unknown model type', () => {
    expect(() => parseHyperparameters('forest', {})).toThrow(UnknownModelTypeError);
  });

  it('lists the keys per type', () => {
    expect(hyperparameterKeys('logistic')).toEqual(['learningRate', 'epochs', 'batchSize', 'l2', 'seed']);
    expect(hyperparameterKeys('mlp')).toContain('hiddenUnits');
  });
});
