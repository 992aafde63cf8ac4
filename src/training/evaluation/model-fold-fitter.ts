import { selectRows, type FeatureMatrix } from '../models/feature-matrix.js';
import type { HyperparametersFor } from '../models/hyperparameters.js';
import type { ModelType } from '../models/model-types.js';
import { trainModel, type TrainModelOptions } from '../models/train-model.js';
import type { FoldFitter } from './walk-forward.js';

/**
 * A {@link FoldFitter} that trains a `type` model ({@link trainModel}) on each fold's
 * training rows of `X`/`y` — standardizer included, so test rows never inform it — and
 * predicts the fold's test rows; the model is disposed once they are predicted. Reports
 * the backend and the final training loss as the fold's info.
 */
export function modelFoldFitter<T extends ModelType>(
  type: T,
  hp: Partial<HyperparametersFor<T>> | undefined,
  X: FeatureMatrix,
  y: ArrayLike<number>,
  options: TrainModelOptions = {},
): FoldFitter {
  return async (trainRows) => {
    const labels = Float32Array.from(trainRows, (r) => y[r] ?? Number.NaN);
    const model = await trainModel(type, hp, selectRows(X, trainRows), labels, options);
    return {
      info: { backend: model.backend, finalLoss: model.lossHistory.at(-1) ?? null },
      predict: (testRows) => model.predict(selectRows(X, testRows)),
      dispose: () => model.dispose(),
    };
  };
}
