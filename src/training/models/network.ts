import type { LayersModel } from '@tensorflow/tfjs';

import type { Tensorflow } from '../backend/tf-backend.js';
import type { MlpActivation } from './hyperparameters.js';
import { seededDropoutClass } from './seeded-dropout.js';

/** The architecture of a network: logistic regression is the MLP with no hidden layer. */
export interface NetworkSpec {
  readonly inputDim: number;
  readonly hiddenUnits: readonly number[];
  readonly activation: MlpActivation;
  readonly dropout: number;
  readonly seed: number;
}

/**
 * Builds (does not compile) a sequential network: for each hidden layer a dense layer with
 * `activation` (followed by seeded dropout when `dropout` > 0), then one dense sigmoid
 * unit. Kernels start from `glorotUniform` seeded `seed`, `seed + 1`, … in layer order;
 * biases from zeros; the L2 penalty applies to kernels only. Layers get fixed names
 * (`hidden_1`, `dropout_1`, `output`) so saved artifacts do not depend on how many
 * models the process built before.
 */
export function buildNetwork(tf: Tensorflow, spec: NetworkSpec): LayersModel {
  const SeededDropout = spec.dropout > 0 ? seededDropoutClass(tf) : undefined;
  const model = tf.sequential({ name: spec.hiddenUnits.length === 0 ? 'precog_logistic' : 'precog_mlp' });
  let inputDim = spec.inputDim;
  spec.hiddenUnits.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        name: `hidden_${i + 1}`,
        inputShape: [inputDim],
        units,
        activation: spec.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + i }),
        biasInitializer: 'zeros',
      }),
    );
    if (SeededDropout !== undefined) {
      model.add(new SeededDropout({ name: `dropout_${i + 1}`, rate: spec.dropout, seed: spec.seed + 1000 + i }));
    }
    inputDim = units;
  });
  model.add(
    tf.layers.dense({
      name: 'output',
      inputShape: [inputDim],
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + spec.hiddenUnits.length }),
      biasInitializer: 'zeros',
    }),
  );
  return model;
}
