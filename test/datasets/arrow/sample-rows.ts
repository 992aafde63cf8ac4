import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatasetBatch } from '../../../src/datasets/arrow-dataset-writer.js';

/** A deterministic pseudo-random generator (mulberry32), so sample data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TEAMS = ['KC', 'BUF', 'Bayern München', 'São Paulo', 'PHI', '東京', 'SF', 'DAL'];

/** `rows` sample rows with `featureCount` features: ~10% null features, some null teams, non-ASCII names. */
export function sampleBatch(rows: number, featureCount: number, seed = 1): DatasetBatch {
  const random = seededRandom(seed);
  const pick = (): string | null => (random() < 0.05 ? null : (TEAMS[Math.floor(random() * TEAMS.length)] ?? null));
  return {
    eventId: Array.from({ length: rows }, (_, i) => `evt-${seed}-${i}`),
    // Some label times before 1970 and some far in the future exercise the int64 word split.
    labelTime: Float64Array.from({ length: rows }, (_, i) => (i % 7 === 3 ? -86_400_000 * (i + 1) : 1_700_000_000_000 + i * 3_600_000 + 123)),
    season: Int32Array.from({ length: rows }, (_, i) => 2015 + (i % 10)),
    homeTeam: Array.from({ length: rows }, pick),
    awayTeam: Array.from({ length: rows }, pick),
    target: Float64Array.from({ length: rows }, () => (random() < 0.5 ? 0 : 1)),
    features: Array.from({ length: featureCount }, () =>
      Float64Array.from({ length: rows }, () => (random() < 0.1 ? Number.NaN : (random() - 0.5) * 1000)),
    ),
  };
}

/** Rows `from … to-1` of a batch, as a batch. */
export function sliceBatch(batch: DatasetBatch, from: number, to: number): DatasetBatch {
  const slice = (column: ArrayLike<number>): Float64Array => Float64Array.from(Array.prototype.slice.call(column, from, to) as number[]);
  return {
    eventId: batch.eventId.slice(from, to),
    labelTime: slice(batch.labelTime),
    season: Int32Array.from(Array.prototype.slice.call(batch.season, from, to) as number[]),
    homeTeam: batch.homeTeam.slice(from, to),
    awayTeam: batch.awayTeam.slice(from, to),
    target: slice(batch.target),
    features: batch.features.map(slice),
  };
}

/** Names `feature_0 … feature_{n-1}`. */
export function featureNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `feature_${i}`);
}

/** A fresh temp directory, removed by the returned function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precog-arrow-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
