import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireEmbeddedLock } from '../../../src/db/embedded-lock.js';
import { DatabaseLockedError } from '../../../src/db/errors.js';
import { claimDemoHome, DEMO_MARKER, DemoHomeNotOursError } from '../../../src/training/demo/demo-home.js';
import { tempDirsPerTest } from '../../support/fixtures.js';

/** Every file under `dir` with its content, for "left untouched" checks. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) out[name] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

/** A folder laid out like a demo home: a database, datasets and artifacts with a file each. */
function demoLike(home: string): void {
  for (const part of ['precog-db', 'datasets', 'artifacts']) {
    fs.mkdirSync(path.join(home, part), { recursive: true });
    fs.writeFileSync(path.join(home, part, 'file'), part);
  }
}

describe('claimDemoHome: precog demo only ever empties a folder it made', () => {
  const root = tempDirsPerTest('precog-demo-home-');

  it('takes a new folder, marks it as the demo\'s and holds its database lock', async () => {
    const home = path.join(root(), 'demo');
    const lock = await claimDemoHome(home);
    try {
      expect(fs.existsSync(path.join(home, DEMO_MARKER))).toBe(true);
      await expect(acquireEmbeddedLock(path.join(home, 'precog-db'))).rejects.toThrow(DatabaseLockedError);
    } finally {
      lock.release();
    }
  });

  it('refuses a folder it did not make, leaving every file and no lock', async () => {
    const home = root();
    demoLike(home);
    fs.writeFileSync(path.join(home, 'notes.txt'), 'mine');
    const before = tree(home);
    const error = await claimDemoHome(home).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoHomeNotOursError);
    expect((error as Error).message).toMatch(/was not made by precog demo .*pass an empty or new --home/);
    expect(tree(home)).toEqual(before);
    // The lock was released: the folder's database can be opened by anyone again.
    (await acquireEmbeddedLock(path.join(home, 'precog-db'))).release();
  });

  it('recreates the parts of a folder an earlier demo made, and nothing else', async () => {
    const home = root();
    (await claimDemoHome(home)).release();
    demoLike(home);
    fs.writeFileSync(path.join(home, 'notes.txt'), 'mine');
    const lock = await claimDemoHome(home);
    lock.release();
    expect(Object.keys(tree(home)).sort()).toEqual([DEMO_MARKER, 'notes.txt']);
  });

  it('refuses while another opener holds the database, deleting nothing', async () => {
    const home = root();
    (await claimDemoHome(home)).release();
    demoLike(home);
    const held = await acquireEmbeddedLock(path.join(home, 'precog-db'));
    const before = tree(home);
    try {
      await expect(claimDemoHome(home)).rejects.toThrow(DatabaseLockedError);
      expect(tree(home)).toEqual(before);
    } finally {
      held.release();
    }
  });
});
