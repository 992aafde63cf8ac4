import type * as TfModule from '@tensorflow/tfjs';

import { TensorflowUnavailableError } from './errors.js';

/** The TensorFlow.js namespace (`@tensorflow/tfjs`), as every model function receives it. */
export type Tensorflow = typeof TfModule;

/** The backends Precog tries, fastest first: native (tfjs-node), WebAssembly, pure JS. */
export const TF_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;

/** One of {@link TF_BACKENDS}. */
export type TfBackendName = (typeof TF_BACKENDS)[number];

/** A backend that was tried and not used, and why (for `precog doctor`). */
export interface BackendAttempt {
  readonly backend: TfBackendName;
  readonly reason: string;
}

/** TensorFlow.js, initialized on the best backend available. */
export interface TensorflowRuntime {
  readonly tf: Tensorflow;
  readonly backend: TfBackendName;
  /** The faster backends that were tried first and failed, in order. */
  readonly skipped: readonly BackendAttempt[];
}

// A variable, not a literal, so that TypeScript does not try to resolve this optional
// dependency (absent on most machines) while type-checking.
const TFJS_NODE_MODULE: string = '@tensorflow/tfjs-node';

let runtime: Promise<TensorflowRuntime> | undefined;

/**
 * Loads TensorFlow.js once per process and selects the fastest backend that works:
 * `@tensorflow/tfjs-node` ('tensorflow', an optional dependency, loaded by a dynamic
 * import), else `@tensorflow/tfjs-backend-wasm` ('wasm'), else the pure-JS 'cpu' backend.
 * Idempotent: every call returns the same promise (a failed initialization is forgotten,
 * so a later call tries again).
 *
 * It writes nothing to stdout or stderr: TF.js's own `console.warn`s (e.g. "Hi, looks like
 * you are running TensorFlow.js in Node.js …" on the first tensor of the 'cpu' backend, or
 * "Initialization of backend … failed" with a stack) are all gated by its `PROD` flag,
 * which is set here; in 4.22 that flag gates nothing but those messages. Why a backend was
 * skipped is returned in `skipped` instead. Throws {@link TensorflowUnavailableError} if
 * even 'cpu' fails.
 */
export function initTensorflow(): Promise<TensorflowRuntime> {
  runtime ??= selectBackend().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

async function selectBackend(): Promise<TensorflowRuntime> {
  const tf: Tensorflow = await import('@tensorflow/tfjs');
  tf.env().set('PROD', true);
  const skipped: BackendAttempt[] = [];
  const loaders: Record<TfBackendName, () => Promise<unknown>> = {
    tensorflow: () => import(TFJS_NODE_MODULE) as Promise<unknown>,
    wasm: () => import('@tensorflow/tfjs-backend-wasm'),
    cpu: async () => undefined,
  };
  for (const backend of TF_BACKENDS) {
    try {
      await loaders[backend]();
      if (await tf.setBackend(backend)) {
        await tf.ready();
        return Object.freeze({ tf, backend, skipped: Object.freeze(skipped) });
      }
      skipped.push({ backend, reason: 'setBackend returned false' });
    } catch (error) {
      skipped.push({ backend, reason: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) });
    }
  }
  throw new TensorflowUnavailableError(skipped);
}
