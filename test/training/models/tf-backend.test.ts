import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { initTensorflow } from '../../../src/training/backend/tf-backend.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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

  it('prints nothing, even when TF.js falls back to its cpu backend', () => {
    // A fresh process, so that loading TF.js is part of what is observed.
    const dir = mkdtempSync(path.join(tmpdir(), 'precog-tf-'));
    try {
      const script = path.join(dir, 'probe.mts');
      const backendModule = path.join(ROOT, 'src/training/backend/tf-backend.ts');
      writeFileSync(
        script,
        [
          `import { initTensorflow } from ${JSON.stringify(backendModule)};`,
          'const { tf } = await initTensorflow();',
          'tf.tensor([1, 2]).dispose();',
          // The cpu backend greets Node users with a console.warn on its first tensor.
          "await tf.setBackend('cpu');",
          'tf.tensor([1, 2]).dispose();',
          "process.stderr.write('done');",
        ].join('\n'),
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe('done');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
