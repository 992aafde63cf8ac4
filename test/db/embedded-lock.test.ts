import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireEmbeddedLock, lockPathFor, processStartTime } from '../../src/db/embedded-lock.js';
import { DatabaseLockedError } from '../../src/db/errors.js';
import { tempDirsPerTest } from '../support/fixtures.js';

/**
 * The embedded lock's edge cases, in one process (the cross-process stories are in
 * test/reliability/embedded-lock.test.ts): a reused pid, a symlinked path, a break guard
 * dated in the future.
 */
describe('the embedded lock', () => {
  const root = tempDirsPerTest('precog-lock-');

  it('reads a live process\'s start time, and none of a pid that is not running', () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(process.pid)).toBe(processStartTime(process.pid));
    expect(processStartTime(2 ** 22 + 12_345)).toBeUndefined();
  });

  it('treats a lock naming a live but unrelated process (a reused pid) as stale', async () => {
    const dir = path.join(root(), 'db');
    const other = process.ppid;
    expect(processStartTime(other)).toBeDefined();
    // The pid is alive, but the process that wrote the lock started at another time.
    fs.writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid: other, startedAt: new Date(0).toISOString(), command: 'long gone', processStart: '1' }),
    );
    const lock = await acquireEmbeddedLock(dir);
    expect(JSON.parse(fs.readFileSync(lockPathFor(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    // The same live process with its own start time still holds its lock.
    fs.writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid: other, startedAt: new Date().toISOString(), command: 'the parent', processStart: processStartTime(other) }),
    );
    await expect(acquireEmbeddedLock(dir)).rejects.toThrow(new RegExp(`in use by pid ${other} \\(the parent`));
  });

  it('locks the real directory: a symlinked path meets the same lock', async () => {
    const base = root();
    fs.mkdirSync(path.join(base, 'real'));
    fs.symlinkSync(path.join(base, 'real'), path.join(base, 'link'));
    const first = await acquireEmbeddedLock(path.join(base, 'real', 'db'));
    try {
      await expect(acquireEmbeddedLock(path.join(base, 'link', 'db'))).rejects.toThrow(DatabaseLockedError);
    } finally {
      first.release();
    }
    (await acquireEmbeddedLock(path.join(base, 'link', 'db'))).release();
  });

  it('clears a stale lock whose break guard is dated in the future, within the opener\'s bound', async () => {
    const dir = path.join(root(), 'db');
    const lockPath = lockPathFor(dir);
    fs.writeFileSync(lockPath, JSON.stringify({ pid: 2 ** 22 + 12_345, startedAt: new Date(0).toISOString(), command: 'crashed' }));
    fs.writeFileSync(`${lockPath}.break`, '');
    const future = new Date(Date.now() + 365 * 86_400_000);
    fs.utimesSync(`${lockPath}.break`, future, future);
    const lock = await acquireEmbeddedLock(dir, { waitSeconds: 0 });
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(fs.existsSync(`${lockPath}.break`)).toBe(false);
  });
});
