import { configDefaults, defineConfig } from 'vitest/config';

/**
 * `npm run test:quick` (PRECOG_TEST_TIER=quick, no TEST_DATABASE_URL): the suites that start
 * no child process, need no server and import no full real-data set — for the edit loop,
 * under a minute. `npm test` runs everything.
 */
const NOT_QUICK = [
  // Child processes: the real CLI, fixture scripts, Chromium.
  'test/reliability/crash.test.ts',
  'test/reliability/embedded-lock.test.ts',
  'test/reliability/concurrency.test.ts',
  'test/training/models/tf-backend-process.test.ts',
  'test/bench/bench.test.ts',
  'test/ui/browser.test.ts',
  'test/features/ingest-disk-full.test.ts', // mounts a small tmpfs
  // The full NFL history and the demo league, end to end.
  'test/features/sources/nfl-import.test.ts',
  'test/training/elo/elo-store.test.ts',
  'test/cli/nfl-commands.test.ts',
  'test/training/demo/demo-pipeline.test.ts',
  // Thousands of fuzzed inputs through the database; every CLI command on an on-disk database.
  'test/reliability/fuzz.test.ts',
  'test/cli/cli.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(process.env['PRECOG_TEST_TIER'] === 'quick' ? NOT_QUICK : [])],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share their worker's module cache: PGlite's WASM, TF.js and Kysely load once
    // per worker instead of once per file (the whole suite: 234 s → 200 s on 2 cores). Suites
    // keep no state in modules; each opens its own database and restores what it changes.
    isolate: false,
    // 2 cores: PGlite instances are CPU-heavy WASM; two workers keep the machine usable.
    maxWorkers: 2,
  },
});
