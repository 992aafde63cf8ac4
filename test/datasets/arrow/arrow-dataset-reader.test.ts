import fs from 'node:fs';
import path from 'node:path';
import { Field, Float64, Int32, Schema, Table, TimestampMillisecond, Utf8, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataset } from '../../../src/datasets/arrow-dataset-reader.js';
import { createDatasetWriter, type DatasetBatch, type WrittenDataset } from '../../../src/datasets/arrow-dataset-writer.js';
import { DATASET_METADATA_KEYS } from '../../../src/datasets/dataset-columns.js';
import { DatasetChecksumError, DatasetFormatError } from '../../../src/datasets/errors.js';
import { featureNames, sampleBatch, sliceBatch, tempDir } from './sample-rows.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function writeDataset(file: string, rows: DatasetBatch, rowsPerBatch = 64): Promise<WrittenDataset> {
  const writer = await createDatasetWriter(file, {
    featureColumns: featureNames(rows.features.length),
    metadata: new Map([['precog.spec', '{"name":"x"}']]),
    rowsPerBatch,
  });
  await writer.writeBatch(rows);
  return writer.finish();
}

describe('openDataset', () => {
  it('reads back every column: NaN and a 0 validity byte exactly where features are null', async () => {
    const rows = sampleBatch(500, 3);
    const file = path.join(dir, 'ds.arrow');
    const written = await writeDataset(file, rows);

    const dataset = await openDataset(file, { expectedSha256: written.sha256 });
    expect(dataset).toMatchObject({ path: file, sha256: written.sha256, bytes: written.bytes, rowCount: 500 });
    expect(dataset.featureColumns).toEqual(['feature_0', 'feature_1', 'feature_2']);
    expect(dataset.metadata.get('precog.spec')).toBe('{"name":"x"}');
    expect(dataset.metadata.get(DATASET_METADATA_KEYS.rowCount)).toBe('500');

    const columns = await dataset.readColumns();
    expect(columns.rowCount).toBe(500);
    expect(columns.eventId).toEqual(rows.eventId);
    expect(columns.labelTime).toEqual(Float64Array.from(rows.labelTime));
    expect(columns.season).toEqual(Int32Array.from(rows.season));
    expect(columns.homeTeam).toEqual(rows.homeTeam);
    expect(columns.awayTeam).toEqual(rows.awayTeam);
    expect(columns.homeTeam).toContain('Bayern München');
    expect(columns.target).toEqual(Float64Array.from(rows.target));
    columns.features.forEach((feature, f) => {
      const source = Float64Array.from(rows.features[f] ?? []);
      expect(feature.name).toBe(`feature_${f}`);
      // toEqual treats NaN as equal to NaN, so this also checks the null positions.
      expect(feature.values).toEqual(source);
      expect(feature.valid).toEqual(Uint8Array.from(source, (v) => (Number.isNaN(v) ? 0 : 1)));
      expect(feature.nullCount).toBe(source.filter(Number.isNaN).length);
      expect(feature.nullCount).toBeGreaterThan(0);
    });
  });

  it('reads all-ASCII string columns (the fast path) as well as mixed ones', async () => {
    const rows = { ...sampleBatch(100, 1), homeTeam: Array.from({ length: 100 }, (_, i) => (i % 9 === 0 ? null : `T${i}`)) };
    const file = path.join(dir, 'ds.arrow');
    await writeDataset(file, rows, 30);
    const columns = await (await openDataset(file)).readColumns();
    expect(columns.homeTeam).toEqual(rows.homeTeam);
  });

  it('streams record batches of the writer\'s batch size', async () => {
    const file = path.join(dir, 'ds.arrow');
    await writeDataset(file, sampleBatch(150, 2), 64);
    const sizes: number[] = [];
    for await (const batch of (await openDataset(file)).batches()) sizes.push(batch.numRows);
    expect(sizes).toEqual([64, 64, 22]);
  });

  it('reads an empty dataset', async () => {
    const file = path.join(dir, 'ds.arrow');
    await writeDataset(file, sliceBatch(sampleBatch(1, 2), 0, 0));
    const dataset = await openDataset(file);
    expect(dataset.rowCount).toBe(0);
    const columns = await dataset.readColumns();
    expect(columns.eventId).toEqual([]);
    expect(columns.features.map((f) => f.values.length)).toEqual([0, 0]);
  });

  it('detects a flipped byte: DatasetChecksumError naming the path, expected and actual hashes', async () => {
    const file = path.join(dir, 'ds.arrow');
    const written = await writeDataset(file, sampleBatch(200, 2));
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, bytes);

    const error = await openDataset(file, { expectedSha256: written.sha256 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetChecksumError);
    expect(error).toMatchObject({ code: 'DATASET_CHECKSUM_MISMATCH', path: file, expected: written.sha256 });
    const actual = (error as DatasetChecksumError).actual;
    expect(actual).toMatch(/^[0-9a-f]{64}$/);
    expect(actual).not.toBe(written.sha256);
    expect((error as Error).message).toContain(file);
  });

  it('accepts the expected hash in upper case', async () => {
    const file = path.join(dir, 'ds.arrow');
    const written = await writeDataset(file, sampleBatch(10, 1));
    await expect(openDataset(file, { expectedSha256: written.sha256.toUpperCase() })).resolves.toMatchObject({ rowCount: 10 });
  });

  it('rejects a file that is not Arrow', async () => {
    const file = path.join(dir, 'junk.arrow');
    fs.writeFileSync(file, 'event_id,target\nx,1\n');
    await expect(openDataset(file)).rejects.toThrow(DatasetFormatError);
  });

  it('rejects an Arrow file without the dataset layout', async () => {
    const file = path.join(dir, 'other.arrow');
    fs.writeFileSync(file, tableToIPC(tableFromArrays({ event_id: ['a'], x: Float64Array.of(1) }), 'file'));
    await expect(openDataset(file)).rejects.toThrow(DatasetFormatError);
  });

  it('rejects a file whose rows do not add up to its row count', async () => {
    // A hand-made file with the right layout but a row count that lies.
    const fields = [
      new Field('event_id', new Utf8(), false),
      new Field('label_time', new TimestampMillisecond('UTC'), false),
      new Field('season', new Int32(), false),
      new Field('home_team', new Utf8(), true),
      new Field('away_team', new Utf8(), true),
      new Field('target', new Float64(), false),
    ];
    const metadata = new Map([
      [DATASET_METADATA_KEYS.format, '1'],
      [DATASET_METADATA_KEYS.rowCount, '5'],
    ]);
    const table = new Table(new Schema(fields, metadata), {
      event_id: vectorFromArray(['a', 'b'], new Utf8()),
      label_time: vectorFromArray([1, 2], new TimestampMillisecond('UTC')),
      season: vectorFromArray([2020, 2020], new Int32()),
      home_team: vectorFromArray(['x', null], new Utf8()),
      away_team: vectorFromArray([null, 'y'], new Utf8()),
      target: vectorFromArray([0, 1], new Float64()),
    });
    const file = path.join(dir, 'liar.arrow');
    fs.writeFileSync(file, tableToIPC(table, 'file'));
    const dataset = await openDataset(file);
    expect(dataset.rowCount).toBe(5);
    await expect(dataset.readColumns()).rejects.toThrow(DatasetFormatError);
  });
});
