import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Precog's package.json, found by walking up from this module, so
 * committed files (migrations, reference data) resolve the same from `src/` under tsx or
 * vitest and from the compiled `dist/`.
 */
export const PACKAGE_ROOT: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('precog: cannot find package.json above ' + import.meta.url);
    dir = parent;
  }
  return dir;
})();
