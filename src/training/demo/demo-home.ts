import fs from 'node:fs';
import path from 'node:path';
import { acquireEmbeddedLock, lockPathFor, type EmbeddedLock } from '../../db/embedded-lock.js';
import { PrecogError } from '../../errors.js';

/** The file `precog demo` writes into a home it made: only such a home is ever emptied again. */
export const DEMO_MARKER = '.precog-demo';

/** What a demo recreates inside its home (everything else there is left alone). */
const DEMO_PARTS = ['precog-db', 'datasets', 'artifacts'] as const;

/** `--home` holds files that `precog demo` did not make: it is never emptied. */
export class DemoHomeNotOursError extends PrecogError {
  readonly code = 'DEMO_HOME_NOT_OURS' as const;
}

/**
 * Makes `home` ready for a fresh demo and returns the lock of its embedded database, held.
 *
 * Deleting a database another process is using loses its data, so the lock comes first: while
 * another process holds it, this fails with the lock error (naming the holder) and nothing is
 * touched. Then only a home this function made before (it holds {@link DEMO_MARKER}), or an
 * empty or new one, is used; the demo's own parts of it are removed. Anything else is refused
 * with {@link DemoHomeNotOursError}, untouched.
 */
export async function claimDemoHome(home: string, options: { waitSeconds?: number } = {}): Promise<EmbeddedLock> {
  const dataDir = path.join(home, 'precog-db');
  const lock = await acquireEmbeddedLock(dataDir, options);
  try {
    const ownLock = path.basename(lockPathFor(dataDir));
    const entries = fs.readdirSync(home).filter((name) => name !== ownLock);
    const marker = path.join(home, DEMO_MARKER);
    if (entries.length > 0 && !fs.existsSync(marker)) {
      throw new DemoHomeNotOursError(
        `${home} was not made by precog demo (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}) ` +
          `and will not be emptied; pass an empty or new --home`,
        { home, entries: entries.slice(0, 20) },
      );
    }
    for (const part of DEMO_PARTS) fs.rmSync(path.join(home, part), { recursive: true, force: true });
    fs.writeFileSync(marker, 'made by precog demo: `precog demo --home` may recreate this folder\n');
    return lock;
  } catch (error) {
    lock.release();
    throw error;
  }
}
