import { describe, expect, it } from 'vitest';

import { initTensorflow } from '../../../src/training/backend/tf-backend.js';
import { spawnScript } from '../../support/child-process.js';

describe('initTensorflow', () => {
  it('picks tfjs-node when installed, else wasm, and is idempotent', async () => {
    const first = initTensorflow();
    expect(initTensorflow()).toBe(first);
    const { tf, backend, skipped } = await first;
    expect(tf.getBackend()).toBe(backend);
    if (backend === 'wasm') {
      expect(skipped.map((s) => s.backend)).toEqual(['tensorflow']);
      expect(skipped[0]?.reason).toMatch(/tfjs-node/);
    } else {
      expect(backend).toBe('tensorflow');
    }
  });

  it('prints nothing, even when TF.js falls back to its cpu backend', async () => {
    // A fresh process, so that loading TF.js is part of what is observed.
    const run = await spawnScript('test/training/fixtures/tf-quiet-probe.ts', [], process.env).exit;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('done');
  });
});
