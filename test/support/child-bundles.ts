import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** The repository root: entry points are named relative to it. */
const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** What tests run as child processes: the CLI, and the scripts in `fixtures/` folders under `test/`. */
function childEntryPoints(): string[] {
  const fixtures = fs
    .readdirSync(path.join(REPO_ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(path.dirname(f)) === 'fixtures' && f.endsWith('.ts'))
    .map((f) => path.join(REPO_ROOT, 'test', f));
  return [path.join(REPO_ROOT, 'src/cli/bin.ts'), ...fixtures];
}

/**
 * Bundles every child entry point into one JavaScript file each under `outDir` (keeping
 * its path relative to the repository, `.ts` → `.js`), npm packages left as imports.
 *
 * Why: a child started through tsx spends 2.6–3.4 s compiling before it runs (4–10 s on a
 * loaded machine), and the lock and crash suites start well over a hundred. A bundle made
 * from the current sources by every test run starts like built code and can never be stale.
 * `outDir` must lie inside the repository: the bundles find migrations and reference data
 * by walking up to its package.json, as `dist/` does.
 */
export async function bundleChildren(outDir: string): Promise<void> {
  await build({
    entryPoints: childEntryPoints(),
    outdir: outDir,
    outbase: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** The bundle of `script` (a path like `src/cli/bin.ts`, relative to the repository). */
export function bundledScript(outDir: string, script: string): string {
  return path.join(outDir, script.replace(/\.ts$/, '.js'));
}
