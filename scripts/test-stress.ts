/**
 * `npm run test:stress`: the whole suite with every random property at its full count
 * (`PRECOG_STRESS=1`), beside a CPU hog — one busy thread per core — so a test that only
 * holds on a quiet machine fails here rather than in CI. Arguments go to `vitest run`.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

const hogs = Array.from({ length: os.availableParallelism() }, () => new Worker('for (;;) {}', { eval: true }));
console.log(`test:stress: ${hogs.length} busy threads beside the suite, PRECOG_STRESS=1`);
const suite = spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PRECOG_STRESS: '1' },
});
suite.on('exit', (code, signal) => {
  void Promise.all(hogs.map((h) => h.terminate())).then(() => process.exit(code ?? (signal ? 1 : 0)));
});
