import type { LayersModel, Tensor } from '@tensorflow/tfjs';

import type { Tensorflow, TfBackendName } from '../backend/tf-backend.js';
import { ModelDisposedError } from './errors.js';
import { viewMatrix, type FeatureMatrix } from './feature-matrix.js';
import type { Hyperparameters } from './hyperparameters.js';
import type { ModelType } from './model-types.js';
import { standardize, type FittedStandardizer } from './standardizer.js';

/** What a fitted model is, apart from its weights: saved as `model.json`'s metadata. */
export interface ModelMetadata {
  readonly type: ModelType;
  readonly hyperparameters: Hyperparameters;
  /** The backend it was trained on (cpu and wasm give slightly different weights). */
  readonly trainedBackend: TfBackendName;
  /** Mean training loss (binary cross-entropy + L2 penalty) after each epoch. */
  readonly lossHistory: readonly number[];
}

/** A trained (or loaded) model: standardizer + network, predicting probabilities. */
export interface FittedModel extends ModelMetadata {
  /** The backend it predicts on now. */
  readonly backend: TfBackendName;
  readonly standardizer: FittedStandardizer;
  readonly featureCount: number;
  /** The underlying TF.js network (owned by this model; freed by {@link dispose}). */
  readonly network: LayersModel;
  /**
   * P(outcome = 1) per row of `X` (same columns, in the same order, as in training;
   * missing values imputed as in training), as float64 copies of the network's float32.
   */
  predict(X: FeatureMatrix): Float64Array;
  /** Frees the network's tensors; the model cannot predict afterwards. Idempotent. */
  dispose(): void;
}

// Rows per forward pass: TF.js predicts 32 rows at a time unless told otherwise.
const PREDICT_BATCH_SIZE = 8192;

/** Wraps a network and its standardizer as a {@link FittedModel}. */
export function createFittedModel(
  tf: Tensorflow,
  backend: TfBackendName,
  network: LayersModel,
  standardizer: FittedStandardizer,
  metadata: ModelMetadata,
): FittedModel {
  let disposed = false;
  const featureCount = standardizer.columns.length;
  return Object.freeze({
    ...metadata,
    backend,
    standardizer,
    featureCount,
    network,
    predict(X: FeatureMatrix): Float64Array {
      if (disposed) throw new ModelDisposedError('predict');
      const rows = viewMatrix(X).rows;
      const xs = standardize(standardizer, X);
      if (rows === 0) return new Float64Array(0);
      const values = tf.tidy(() => {
        const output = network.predict(tf.tensor2d(xs, [rows, featureCount]), { batchSize: PREDICT_BATCH_SIZE });
        return (output as Tensor).dataSync();
      });
      return Float64Array.from(values);
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      network.dispose();
    },
  });
}
