import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DatabaseLockedError } from './errors.js';

/** What a lock file holds: who owns the embedded database directory. */
const LockOwnerSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  command: z.string(),
  /** The holder process's own start time (where the OS tells it): a reused pid has another. */
  processStart: z.string().optional(),
});
export type LockOwner = z.infer<typeof LockOwnerSchema>;

/** A held lock; `release` is idempotent. */
export interface EmbeddedLock {
  readonly path: string;
  release(): void;
}

export interface AcquireLockOptions {
  /** Seconds to keep retrying while another live process holds the lock (default 0). */
  readonly waitSeconds?: number;
  /**
   * Called once, when a live holder is found and the call starts waiting for it (only with
   * `waitSeconds` > 0): who is being waited for, so a CLI can say so instead of hanging mute.
   */
  readonly onWait?: (holder: LockOwner) => void;
}

/** The lock file guarding a PGlite data directory. */
export function lockPathFor(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}.lock`;
}

/** Whether a process with this pid exists on this machine. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When process `pid` started, as the OS records it (Linux: field 22 of /proc/<pid>/stat, in
 * clock ticks since boot), or undefined where that cannot be read. Together with the pid it
 * names one process: a pid the OS has since given to another process has another start.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the lock's holder is still the process that took it: alive, and not a reused pid. */
function holderAlive(owner: LockOwner): boolean {
  if (!isProcessAlive(owner.pid)) return false;
  if (owner.processStart === undefined) return true;
  const now = processStartTime(owner.pid);
  return now === undefined || now === owner.processStart;
}

/**
 * The directory with symlinks resolved, as far as it exists: one directory has one lock,
 * however a path reaches it.
 */
function realDirectory(dir: string): string {
  const abs = path.resolve(dir);
  try {
    return fs.realpathSync(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const parent = path.dirname(abs);
  return parent === abs ? abs : path.join(realDirectory(parent), path.basename(abs));
}

/** The lock file's text, or undefined when there is none. */
function readText(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  try {
    const parsed = LockOwnerSchema.safeParse(JSON.parse(text ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function readOwner(path: string): LockOwner | undefined {
  return parseOwner(readText(path));
}

function tryCreate(path: string, owner: LockOwner): boolean {
  // Written to a private file, then linked into place: the lock file appears whole, so no
  // one ever reads a half-written lock and takes it for a stale one.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(tmp, 'wx');
  try {
    fs.writeSync(fd, JSON.stringify(owner));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    // link fails if the lock exists: creation is the atomic test-and-set.
    fs.linkSync(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** A break guard older than this was left by a process that died while breaking a lock. */
const STALE_GUARD_MS = 10_000;

/**
 * Removes the stale lock whose text was `seen` — only while holding `<lock>.break`, and only
 * if the file still holds that text. Without the guard and the re-check, a process that
 * found the lock stale a moment ago could delete the fresh lock another process has just
 * taken in its place, and both would go on to open the database.
 */
function breakStale(lockPath: string, seen: string): void {
  const guard = `${lockPath}.break`;
  try {
    fs.closeSync(fs.openSync(guard, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const since = fs.statSync(guard, { throwIfNoEntry: false })?.mtimeMs;
    // Older than any live breaker's — or dated in the future, which no live breaker writes.
    if (since !== undefined && Math.abs(Date.now() - since) > STALE_GUARD_MS) fs.rmSync(guard, { force: true });
    return;
  }
  try {
    if (readText(lockPath) === seen) fs.rmSync(lockPath, { force: true });
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the exclusive lock on an embedded database directory.
 *
 * PGlite is single-process: two processes writing one directory silently lose rows, so
 * the directory (its real path: symlinks resolved) is guarded by `<dir>.lock` holding the
 * owner's pid, process start time and command. A lock whose process is gone — its pid dead,
 * or reused by a process that started at another time — or which is unreadable is stale and
 * is removed. A lock held
 * by this very process is not re-entrant: opening the same directory twice is refused too.
 * With `waitSeconds`, a live holder is waited for; otherwise the call fails at once with a
 * {@link DatabaseLockedError} naming the holder.
 */
export async function acquireEmbeddedLock(
  dataDir: string,
  options: AcquireLockOptions = {},
): Promise<EmbeddedLock> {
  const lockPath = lockPathFor(realDirectory(dataDir));
  const me: LockOwner = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1).join(' ').slice(0, 300),
    processStart: processStartTime(process.pid),
  };
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const started = Date.now();
  const deadline = started + (options.waitSeconds ?? 0) * 1000;
  let announced = false;
  for (;;) {
    if (tryCreate(lockPath, me)) break;
    const seen = readText(lockPath);
    if (seen === undefined) continue; // released in between
    const owner = parseOwner(seen);
    if (!owner || !holderAlive(owner)) {
      // Stale: the holder died without releasing. Remove it (safely) and race for it again —
      // within the wait bound (or the time a live breaker needs, if that is longer).
      if (Date.now() >= Math.max(deadline, started + STALE_GUARD_MS)) {
        throw new DatabaseLockedError(
          `the embedded database ${dataDir} has a stale lock that another process is clearing; try again, or pass --wait <seconds>`,
          { dataDir, lockPath },
        );
      }
      breakStale(lockPath, seen);
      await sleep(10);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DatabaseLockedError(
        `the embedded database ${dataDir} is in use by pid ${owner.pid} (${owner.command || 'unknown command'}, ` +
          `since ${owner.startedAt}); wait for it to finish, pass --wait <seconds>, ` +
          `or set DATABASE_URL to a PostgreSQL server for concurrent use`,
        { dataDir, lockPath, holder: owner },
      );
    }
    if (!announced) {
      announced = true;
      options.onWait?.(owner);
    }
    await sleep(100);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const owner = readOwner(lockPath);
    if (owner?.pid === process.pid) fs.rmSync(lockPath, { force: true });
  };
  return { path: lockPath, release };
}
