import { describe, expect, it } from 'vitest';

import { spawnScript } from '../../support/child-process.js';

describe('initTensorflow in a fresh process', () => {
  it('prints nothing, even when TF.js falls back to its cpu backend', async () => {
    // A fresh process, so that loading TF.js is part of what is observed.
    const run = await spawnScript('test/training/fixtures/tf-quiet-probe.ts', [], process.env).exit;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('done');
  });
});
