import type { Tensor } from '@tensorflow/tfjs';

import type { Tensorflow } from '../backend/tf-backend.js';

type LayerArgs = NonNullable<ConstructorParameters<Tensorflow['layers']['Layer']>[0]>;

/** Constructor arguments (and serialized config) of the seeded dropout layer. */
export interface SeededDropoutArgs extends LayerArgs {
  readonly rate: number;
  readonly seed: number;
}

/** The class name under which the layer is saved in `model.json`. */
export const SEEDED_DROPOUT_CLASS_NAME = 'PrecogSeededDropout';

type SeededDropoutClass = ReturnType<typeof defineSeededDropout>;

let defined: { readonly tf: Tensorflow; readonly cls: SeededDropoutClass } | undefined;

/**
 * The seeded dropout layer class for this TF.js instance, registered for (de)serialization
 * on first use (loading a saved MLP needs it registered).
 *
 * Why not `tf.layers.dropout({ seed })`: TF.js seeds every call with the same seed, so the
 * same units are dropped at every step (the mask only varies with the batch shape), and
 * without a seed it draws from `Math.random` and training is not reproducible. This layer
 * seeds the k-th training call with `seed:k`: a fresh mask per step, the same sequence on
 * every run. At inference it is the identity, like Keras' Dropout (inverted scaling).
 */
export function seededDropoutClass(tf: Tensorflow): SeededDropoutClass {
  if (defined?.tf !== tf) {
    const cls = defineSeededDropout(tf);
    tf.serialization.registerClass(cls);
    defined = { tf, cls };
  }
  return defined.cls;
}

function defineSeededDropout(tf: Tensorflow) {
  return class SeededDropout extends tf.layers.Layer {
    static className = SEEDED_DROPOUT_CLASS_NAME;
    readonly rate: number;
    readonly seed: number;
    private calls = 0;

    constructor(args: SeededDropoutArgs) {
      super(args);
      this.rate = args.rate;
      this.seed = args.seed;
      this.supportsMasking = true;
    }

    override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
      const input = Array.isArray(inputs) ? inputs[0] : inputs;
      if (input === undefined) throw new TypeError('SeededDropout: no input tensor');
      if (kwargs['training'] !== true || this.rate <= 0) return input;
      const seed = `${this.seed}:${this.calls}`;
      this.calls += 1;
      return tf.tidy(() => tf.dropout(input, this.rate, undefined, seed));
    }

    override getConfig() {
      return { ...super.getConfig(), rate: this.rate, seed: this.seed };
    }
  };
}
