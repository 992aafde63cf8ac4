import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PackageRootNotFoundError } from './errors.js';

/**
 * The nearest folder at or above the module at `moduleUrl` (an `import.meta.url`) that holds
 * a `package.json`.
 *
 * Walking up instead of using a fixed `../..` keeps the answer right both for the sources
 * (`src/entities/nfl/` under tsx or vitest) and for the build (`dist/entities/nfl/`).
 */
export function findPackageRoot(moduleUrl: string | URL): string {
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new PackageRootNotFoundError(start);
  }
}
