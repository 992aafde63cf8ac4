import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { IngestFailedError } from '../../src/features/errors.js';
import { ingestFile } from '../../src/features/ingest.js';
import { registerFeature } from '../../src/features/registry.js';
import { countRows, seedTeams, teamFeature, tempDir } from '../support/fixtures.js';

/**
 * A full disk during an ingest is one readable line naming the file, and nothing is written:
 * the embedded database lives on a small tmpfs that the ingest fills. Mounting needs root (as
 * CI has); elsewhere the suite says why it is skipped.
 */
const root = tempDir('precog-disk-full-');
const small = path.join(root, 'fs');
fs.mkdirSync(small);
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', small], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  console.log(`disk-full ingest skipped: cannot mount a small tmpfs here (${String((error as Error).message).split('\n')[0]})`);
}

describe.skipIf(!mounted)('an ingest that fills the disk (embedded database on a 64 MiB tmpfs)', () => {
  afterAll(() => {
    if (mounted) execFileSync('umount', [small]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('fails with one line naming the file and the full disk, and writes nothing', async () => {
    const template = new Blob([new Uint8Array(fs.readFileSync(inject('pgliteTemplate')))]);
    const db = await openDatabase({ engine: 'pglite', dataDir: path.join(small, 'db'), loadDataDir: template });
    try {
      await seedTeams(db, ['KC']);
      await registerFeature(db.db, teamFeature('rating'));
      // ~40 MiB of values with metadata: more than the tmpfs has left.
      const file = path.join(root, 'big.csv');
      const pad = 'x'.repeat(200);
      const lines = ['feature,entity,timestamp,value,metadata'];
      for (let i = 0; i < 150_000; i++) {
        lines.push(`rating@1,KC,${new Date(Date.UTC(2000, 0, 1) + i * 60_000).toISOString()},${i},"{""pad"":""${pad}""}"`);
      }
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      const error = await ingestFile(db, file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IngestFailedError);
      expect((error as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the disk is full \\(.*\\); nothing of it was written$`));
      expect((error as Error).message.split('\n')).toHaveLength(1);
      expect(await countRows(db, 'features_historical')).toBe(0);
    } finally {
      await db.close();
    }
  }, 300_000);
});
