import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDataset, type BuildResult } from '../../src/datasets/dataset-builder.js';
import { benchSpec } from '../dataset-shape.js';
import type { BenchData } from '../generate.js';
import type { AsofResult, DuckDbReference } from '../reference/duckdb-asof.js';
import { timeRow, type BenchRow } from '../result.js';
import type { BenchTarget } from '../target.js';
import { timed } from '../timing.js';

/** Scenario 2's target: the build takes at most this multiple of DuckDB's time. */
export const BUILD_MAX_RATIO = 1.5;

export interface DatasetOutcome {
  readonly row: BenchRow;
  readonly build: BuildResult;
  readonly reference: AsofResult;
  /** Where the builder and DuckDB wrote their files (the caller removes it). */
  readonly dir: string;
}

/**
 * Scenario 2: `buildDataset` of the benchmark spec (every label game, each feature for both
 * teams, event-time mode, to an Arrow file) vs DuckDB's in-memory ASOF JOIN of the same rows
 * plus its Arrow IPC export. Needs the features ingested and the label games loaded.
 * DuckDB runs once untimed first (its data is loaded and warm, as the database's is), then
 * right before and right after the build: the faster of the two is the reference, so a
 * burst of load on a shared machine does not flatter the ratio.
 */
export async function runDatasetScenario(target: BenchTarget, data: BenchData, duck: DuckDbReference): Promise<DatasetOutcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precog-bench-dataset-'));
  const duckFile = path.join(dir, 'duckdb.arrow');
  await duck.asofToArrow(duckFile);
  const before = await timed(() => duck.asofToArrow(duckFile));
  const spec = benchSpec(data, `${target.engine}-${data.games}`);
  const precog = await timed(() => buildDataset(target.db, spec, dir));
  const after = await timed(() => duck.asofToArrow(duckFile));
  const referenceSeconds = Math.min(before.seconds, after.seconds);
  const rows = precog.value.dataset.row_count;
  if (rows !== after.value.rowCount) {
    throw new Error(`the dataset has ${rows} rows and DuckDB's result ${after.value.rowCount}`);
  }
  const row = timeRow(
    { scenario: 'dataset build', engine: target.engine, rows, seconds: precog.seconds },
    { name: 'DuckDB ASOF', seconds: referenceSeconds },
    BUILD_MAX_RATIO,
  );
  return { row, build: precog.value, reference: after.value, dir };
}
