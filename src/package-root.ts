import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrecogError } from './errors.js';

/** No folder holding a `package.json` was found above a module, so packaged files cannot be located. */
export class PackageRootNotFoundError extends PrecogError {
  readonly code = 'PACKAGE_ROOT_NOT_FOUND' as const;
  readonly start: string;

  constructor(start: string) {
    super(`no package.json found in ${start} or any folder above it`, { start });
    this.start = start;
  }
}

/**
 * The nearest folder at or above the module at `moduleUrl` (an `import.meta.url`) that holds
 * a `package.json`.
 *
 * Walking up instead of using a fixed `../..` keeps the answer right both for the sources
 * (under tsx or vitest) and for the build (`dist/`).
 */
export function findPackageRoot(moduleUrl: string | URL): string {
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new PackageRootNotFoundError(start);
  }
}

/** Precog's package folder: committed files (migrations, reference data) resolve from it. */
export const PACKAGE_ROOT: string = findPackageRoot(import.meta.url);
