import { describe, expect, it } from 'vitest';

import { initTensorflow } from '../../../src/training/backend/tf-backend.js';

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
});
