import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { acquireEmbeddedLock, isProcessAlive, lockPathFor } from '../../src/db/embedded-lock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { DatabaseLockedError } from '../../src/db/errors.js';
import { seedLeague } from '../datasets/dataset-fixture.js';
import { killHard, runCli, spawnCli, spawnScript, waitFor, type Child } from '../support/child-process.js';
import { writeRatingFile } from './crash-fixture.js';
import { createTarget, lockFileOf, lockHolder, type Target } from './engine-target.js';
import { tempDir } from '../support/fixtures.js';
import { count } from './invariants.js';

/**
 * Exclusive access to the embedded database (issue 12 §1): PGlite is single-process, so a
 * directory is guarded by `<dir>.lock`. These tests run real processes against one on-disk
 * directory: the CLI as the contender, and a small library-user script as the holder.
 */
describe('embedded database lock', () => {
  let target: Target;
  let dataDir: string;
  const children: Child[] = [];

  /** A holder that keeps the database until the test ends its input (or kills it). */
  const hold = async () => {
    const child = spawnScript('test/reliability/fixtures/hold-database.ts', [], target.env());
    children.push(child);
    await waitFor('the holder to open the database', () => child.stdout().includes('"held"'), { child });
    return child;
  };
  const lockedMessage = (pid: number) => new RegExp(`in use by pid ${pid} \\([^)]*hold-database\\.[jt]s`);

  beforeAll(async () => {
    target = await createTarget('pglite');
    dataDir = target.dataDir!;
    await target.use(async (db) => {
      await seedLeague(db);
    });
  });
  afterAll(async () => {
    // Only our own children, by pid.
    await Promise.all(children.map((c) => killHard(c)));
    await target?.dispose();
  });

  it('a second process fails fast with a message naming the holder pid and command', async () => {
    const holder = await hold();
    const second = await runCli(['db', 'status'], target.env());
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(lockedMessage(holder.pid));
    expect(second.stderr).toContain('--wait');
    expect(second.stderr).toContain('DATABASE_URL');
    // It did not wait for the holder: the holder is still there.
    expect(holder.exited()).toBe(false);
    console.log(`embedded lock: the contender failed after ${second.ms} ms (process start included)`);

    // Library users get the same guard, with the holder in the error's facts.
    const refused = await openDatabase({ engine: 'pglite', dataDir }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DatabaseLockedError);
    const facts = (refused as DatabaseLockedError).facts as { holder: { pid: number; command: string } };
    expect(facts.holder.pid).toBe(holder.pid);
    expect(facts.holder.command).toMatch(/hold-database\.[jt]s/);
    await killHard(holder);
  });

  it('--wait queues behind the holder and then succeeds', async () => {
    // An ordered story, each step an event: the holder holds until released; the waiter
    // says whom it waits for; a contender without --wait is refused, naming the holder;
    // only then is the holder released, and the waiter goes on.
    const holder = await hold();
    // The bound is for a real hang only: the waiter gets the lock when the holder is released.
    const waiting = spawnCli(['db', 'status', '--wait', '600'], target.env());
    children.push(waiting);
    await waitFor('the waiter to say whom it waits for', () => waiting.stderr().includes(`waiting up to 600 s for pid ${holder.pid} (`), {
      child: waiting,
    });
    expect(waiting.stderr()).toMatch(/hold-database\.[jt]s/);
    const impatient = await runCli(['db', 'status'], target.env());
    expect(impatient.code).toBe(1);
    expect(impatient.stderr).toMatch(lockedMessage(holder.pid));
    expect(waiting.exited()).toBe(false);

    holder.endInput();
    const released = await holder.exit;
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toContain('"released"');
    const waited = await waiting.exit;
    expect(waited.code, waited.stderr).toBe(0);
    expect(fs.existsSync(lockFileOf(target)!)).toBe(false);
  });

  it('precog demo --home on a database another process is using deletes nothing and names the holder', async () => {
    const holder = await hold();
    const files = () => fs.readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).sort();
    const before = files();
    expect(before.length).toBeGreaterThan(0);
    const demo = await runCli(['demo', '--home', target.home], target.env());
    expect(demo.code).toBe(1);
    expect(demo.stderr).toMatch(lockedMessage(holder.pid));
    expect(demo.stderr.trim().split('\n')).toHaveLength(1);
    expect(files()).toEqual(before);
    // The holder never noticed: its database is still there and still its own.
    expect(holder.exited()).toBe(false);
    holder.endInput();
    expect((await holder.exit).code).toBe(0);
    await target.use(async (db) => expect(await count(db, 'teams')).toBeGreaterThan(0));
  });

  it('a stale lock (its pid dead, or the file unreadable) is cleared', async () => {
    const holder = await hold();
    await killHard(holder);
    expect(lockHolder(target)).toBe(holder.pid);
    expect(isProcessAlive(holder.pid)).toBe(false);
    const after = await runCli(['db', 'status'], target.env());
    expect(after.code, after.stderr).toBe(0);
    expect(fs.existsSync(lockFileOf(target)!)).toBe(false);

    // An unreadable lock (a writer died before finishing it) counts as stale too.
    fs.writeFileSync(lockFileOf(target)!, '{"pid": ');
    const db = await openDatabase({ engine: 'pglite', dataDir });
    expect(lockHolder(target)).toBe(process.pid);
    await db.close();
    expect(fs.existsSync(lockFileOf(target)!)).toBe(false);
  });

  it('is not re-entrant: a second open in the same process is refused too', async () => {
    const first = await openDatabase({ engine: 'pglite', dataDir });
    try {
      await expect(openDatabase({ engine: 'pglite', dataDir })).rejects.toThrow(DatabaseLockedError);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ engine: 'pglite', dataDir });
    await again.close();
  });

  it('two processes ingesting at once: one fails with the lock error, no row is lost or doubled', async () => {
    const rows = 10_000;
    const dir = path.join(target.home, 'two-ingests');
    fs.mkdirSync(dir, { recursive: true });
    const files = [writeRatingFile(dir, 'a.csv', rows, 0, 'ingest-a'), writeRatingFile(dir, 'b.ndjson', rows, rows, 'ingest-b')];
    // The first ingest reads a named pipe the test fills: it holds the database, mid-ingest,
    // for exactly as long as the test wants — no race between the two start-ups.
    const pipe = path.join(dir, 'a-stream.csv');
    execFileSync('mkfifo', [pipe]);
    const before = await target.use((db) => count(db, 'features_historical'));
    const first = spawnCli(['features', 'ingest', pipe, '--json'], target.env());
    children.push(first);
    await waitFor('the first ingest to take the database', () => lockHolder(target) === first.pid, { child: first });
    const second = await runCli(['features', 'ingest', files[1]!, '--json'], target.env());
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`in use by pid ${first.pid} `));
    await fs.promises.writeFile(pipe, fs.readFileSync(files[0]!));
    const done = await first.exit;
    expect(done.code, done.stderr).toBe(0);

    const bySource = () =>
      target.use(async (db) => {
        const stored = await db.db
          .selectFrom('features_historical')
          .select(['external_source', (eb) => eb.fn.countAll<number>().as('n')])
          .where('external_source', 'in', ['ingest-a', 'ingest-b'])
          .groupBy('external_source')
          .execute();
        return { total: await count(db, 'features_historical'), by: Object.fromEntries(stored.map((r) => [r.external_source, Number(r.n)])) };
      });
    expect(await bySource()).toEqual({ total: before + rows, by: { 'ingest-a': rows } });

    // The refused one changed nothing and can simply run again.
    const retry = await runCli(['features', 'ingest', files[1]!, '--json'], target.env());
    expect(retry.code, retry.stderr).toBe(0);
    expect(await bySource()).toEqual({ total: before + 2 * rows, by: { 'ingest-a': rows, 'ingest-b': rows } });
  });

  it('two processes clearing the same stale lock: only one of them gets it', async () => {
    // Deterministic interleaving: this process finds the lock stale; just before it removes
    // the file, another process (started at that instant) tries to clear the same stale lock.
    // The remover must not delete a fresh lock the rival took in its place and take a second
    // one. The rival announces (a file, readable while this process is blocked) that it found
    // the lock being broken; with a correct lock it cannot take it before that.
    const root = tempDir('precog-lock-race-');
    const dir = path.join(root, 'db');
    const lockPath = lockPathFor(dir);
    const guardBusy = path.join(root, 'rival-found-the-guard');
    const dead = spawnScript('test/reliability/fixtures/hold-lock.ts', [`${dir}-unused`, '0'], target.env());
    dead.endInput();
    expect((await dead.exit).stdout).toContain('"held"');
    fs.writeFileSync(lockPath, JSON.stringify({ pid: dead.pid, startedAt: new Date(0).toISOString(), command: 'crashed' }));
    let rival: Child | undefined;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const originals = { rmSync: fs.rmSync, unlinkSync: fs.unlinkSync, renameSync: fs.renameSync };
    const interleave = (file: unknown) => {
      if (rival || file !== lockPath) return;
      rival = spawnScript('test/reliability/fixtures/hold-lock.ts', [dir, '2', guardBusy], target.env());
      children.push(rival);
      // Synchronously (we are inside the remover's check-then-remove step), until the rival
      // has either met the break guard or taken the lock for itself; the bound is for a hang.
      const deadline = Date.now() + 120_000;
      const rivalActed = () => fs.existsSync(guardBusy) || fs.readFileSync(lockPath, 'utf8').includes(`"pid":${rival!.pid}`);
      while (!rivalActed() && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
    };
    fs.rmSync = ((file: fs.PathLike, ...rest: [fs.RmOptions?]) => (interleave(file), originals.rmSync(file, ...rest))) as typeof fs.rmSync;
    fs.unlinkSync = ((file: fs.PathLike) => (interleave(file), originals.unlinkSync(file))) as typeof fs.unlinkSync;
    fs.renameSync = ((from: fs.PathLike, to: fs.PathLike) => (interleave(from), originals.renameSync(from, to))) as typeof fs.renameSync;
    let mine: Awaited<ReturnType<typeof acquireEmbeddedLock>> | undefined;
    try {
      mine = await acquireEmbeddedLock(dir, { waitSeconds: 0 }).catch((error: unknown) => {
        if (error instanceof DatabaseLockedError) return undefined;
        throw error;
      });
    } finally {
      Object.assign(fs, originals);
    }
    try {
      expect(rival, 'the interleaving hook never ran').toBeDefined();
      expect(fs.existsSync(guardBusy), 'the rival never met the break guard').toBe(true);
      // The rival's verdict is an event: it holds the lock, or gives up after its 2 s wait.
      await waitFor('the rival to hold or be refused', () => /"held"|"refused"/.test(rival!.stdout()), { child: rival!, timeoutMs: 120_000 });
      const rivalHolds = rival!.stdout().includes('"held"');
      // Either this process holds the lock or the rival does — never both.
      expect({ thisProcess: mine !== undefined, rival: rivalHolds }).not.toEqual({ thisProcess: true, rival: true });
      expect(mine !== undefined || rivalHolds, 'neither process got the lock').toBe(true);
    } finally {
      mine?.release();
      if (rival) await killHard(rival);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
