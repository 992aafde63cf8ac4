import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDataset, type DatasetColumns } from '../../src/datasets/arrow-dataset-reader.js';
import { createDatasetWriter, type DatasetBatch } from '../../src/datasets/arrow-dataset-writer.js';
import { createRandom } from '../random.js';
import { absoluteRow, type BenchRow } from '../result.js';
import type { BenchScale } from '../scale.js';
import { timed } from '../timing.js';

/** Scenario 4's target for both the writer and the reader. */
export const ARROW_MIN_ROWS_PER_SECOND = 1_000_000;
/** Feature columns of the synthetic file: as many as the benchmark dataset has. */
const FEATURE_COLUMNS = 20;
const BATCH_ROWS = 65_536;

/** Rows shaped like the benchmark dataset (5% null features), in writer batches. */
export function syntheticBatches(scale: BenchScale): DatasetBatch[] {
  const random = createRandom(scale.seed + 4);
  const batches: DatasetBatch[] = [];
  for (let from = 0; from < scale.arrowRows; from += BATCH_ROWS) {
    const n = Math.min(BATCH_ROWS, scale.arrowRows - from);
    const features = Array.from({ length: FEATURE_COLUMNS }, () => {
      const column = new Float64Array(n);
      for (let i = 0; i < n; i++) column[i] = random.next() < 0.05 ? Number.NaN : Math.round(random.next() * 3e7) / 1e4;
      return column;
    });
    batches.push({
      eventId: Array.from({ length: n }, (_, i) => `G${String(from + i).padStart(7, '0')}`),
      labelTime: Float64Array.from({ length: n }, (_, i) => Date.UTC(2005, 0, 1) + (from + i) * 60_000),
      season: Int32Array.from({ length: n }, (_, i) => 2005 + Math.floor((from + i) / 50_000)),
      homeTeam: Array.from({ length: n }, () => `T${String(random.int(0, 32)).padStart(2, '0')}`),
      awayTeam: Array.from({ length: n }, () => (random.next() < 0.01 ? null : `T${String(random.int(0, 32)).padStart(2, '0')}`)),
      target: Float64Array.from({ length: n }, () => (random.next() < 0.5 ? 1 : 0)),
      features,
    });
  }
  return batches;
}

export interface ArrowOutcome {
  readonly rows: BenchRow[];
  readonly written: readonly DatasetBatch[];
  readonly read: DatasetColumns;
}

/**
 * Scenario 4: the dataset writer (create, write every batch, finish: hash, fsync, rename) and
 * the reader (open: verify the sha256 and layout, then `readColumns`) over the same rows.
 */
export async function runArrowScenario(scale: BenchScale): Promise<ArrowOutcome> {
  const batches = syntheticBatches(scale);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precog-bench-arrow-'));
  try {
    const file = path.join(dir, 'bench.arrow');
    const columns = Array.from({ length: FEATURE_COLUMNS }, (_, f) => `f${String(f).padStart(2, '0')}`);
    const write = await timed(async () => {
      const writer = await createDatasetWriter(file, { featureColumns: columns, metadata: new Map([['bench', 'arrow-io']]) });
      for (const batch of batches) await writer.writeBatch(batch);
      return writer.finish();
    });
    const read = await timed(async () => {
      const dataset = await openDataset(file, { expectedSha256: write.value.sha256 });
      return dataset.readColumns();
    });
    if (read.value.rowCount !== scale.arrowRows || write.value.rowCount !== scale.arrowRows) {
      throw new Error(`wrote ${write.value.rowCount} rows, read ${read.value.rowCount}, expected ${scale.arrowRows}`);
    }
    const bound = { op: '>=' as const, value: ARROW_MIN_ROWS_PER_SECOND, text: '1M rows/s' };
    const note = `${FEATURE_COLUMNS} feature columns, ${(write.value.bytes / 2 ** 20).toFixed(0)} MiB`;
    return {
      rows: [
        absoluteRow({ scenario: 'arrow write', engine: 'file', rows: scale.arrowRows, seconds: write.seconds, note }, scale.arrowRows / write.seconds, bound),
        absoluteRow({ scenario: 'arrow read', engine: 'file', rows: scale.arrowRows, seconds: read.seconds, note }, scale.arrowRows / read.seconds, bound),
      ],
      written: batches,
      read: read.value,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
