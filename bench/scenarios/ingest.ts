import { ingestFile, type IngestReport } from '../../src/features/ingest.js';
import type { BenchData } from '../generate.js';
import { copyIntoBareTable, createBareTable } from '../reference/bare-copy.js';
import { rateRow, type BenchRow } from '../result.js';
import type { BenchTarget } from '../target.js';
import { timed } from '../timing.js';

/** Scenario 1's target: Precog's ingestion at least this fraction of the bare COPY rate. */
export const INGEST_MIN_RATIO = 0.8;

export interface IngestOutcome {
  readonly row: BenchRow;
  readonly report: IngestReport;
  readonly referenceRows: number;
}

/**
 * Scenario 1: the generated feature file through `ingestFile` (every validation on) vs the
 * engine's plain COPY of the same file into a bare table with the same indexes. The
 * reference loads into a fresh table right before and right after the ingest; the faster
 * load counts (noise on a shared machine only ever slows a run down). Needs the teams and
 * feature definitions seeded, and an empty features_historical.
 */
export async function runIngestScenario(target: BenchTarget, data: BenchData): Promise<IngestOutcome> {
  await createBareTable(target);
  const before = await timed(() => copyIntoBareTable(target, data.featuresCsv));
  const precog = await timed(() => ingestFile(target.db, data.featuresCsv));
  await createBareTable(target);
  const after = await timed(() => copyIntoBareTable(target, data.featuresCsv));
  const reference = before.seconds <= after.seconds ? before : after;
  if (precog.value.inserted !== data.featureRows || before.value !== data.featureRows || after.value !== data.featureRows) {
    throw new Error(
      `ingest loaded ${precog.value.inserted} rows and the reference ${reference.value}; the file has ${data.featureRows}`,
    );
  }
  const row = rateRow(
    { scenario: 'ingest', engine: target.engine, rows: data.featureRows, seconds: precog.seconds },
    {
      name: target.engine === 'postgres' ? 'psql \\copy' : 'PGlite COPY',
      rows: reference.value,
      seconds: reference.seconds,
    },
    INGEST_MIN_RATIO,
  );
  return { row, report: precog.value, referenceRows: reference.value };
}
