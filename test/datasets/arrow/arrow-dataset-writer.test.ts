import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MessageHeader, MessageReader, tableFromIPC, type Table } from 'apache-arrow';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDatasetWriter,
  type DatasetBatch,
  type DatasetWriterOptions,
  type WrittenDataset,
} from '../../../src/datasets/arrow-dataset-writer.js';
import { DATASET_FORMAT_VERSION, DATASET_METADATA_KEYS } from '../../../src/datasets/dataset-columns.js';
import { DatasetBatchError, DatasetLayoutError, DatasetWriterStateError } from '../../../src/datasets/errors.js';
import { featureNames, sampleBatch, sliceBatch, tempDir } from './sample-rows.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const SPEC = JSON.stringify({ name: 'nfl-moneyline', version: 3 });

function options(featureCount: number, extra: Partial<DatasetWriterOptions> = {}): DatasetWriterOptions {
  return {
    featureColumns: featureNames(featureCount),
    metadata: new Map([
      ['precog.spec', SPEC],
      ['precog.features', JSON.stringify(featureNames(featureCount))],
    ]),
    ...extra,
  };
}

/** Writes `batches` in order to `file` and finishes. */
async function writeDataset(file: string, featureCount: number, batches: DatasetBatch[], extra: Partial<DatasetWriterOptions> = {}): Promise<WrittenDataset> {
  const writer = await createDatasetWriter(file, options(featureCount, extra));
  for (const batch of batches) await writer.writeBatch(batch);
  return writer.finish();
}

function readTable(file: string): Table {
  return tableFromIPC(fs.readFileSync(file));
}

/** Everything in the directory except the files named. */
function leftovers(...expected: string[]): string[] {
  return fs.readdirSync(dir).filter((name) => !expected.includes(name));
}

describe('createDatasetWriter', () => {
  it('round-trips every column through apache-arrow\'s own reader, nulls as nulls', async () => {
    const rows = sampleBatch(1000, 4);
    const file = path.join(dir, 'ds.arrow');
    const written = await writeDataset(file, 4, [sliceBatch(rows, 0, 300), sliceBatch(rows, 300, 1000)], { rowsPerBatch: 256 });

    expect(written).toEqual({
      path: file,
      rowCount: 1000,
      bytes: fs.statSync(file).size,
      sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
    });
    const table = readTable(file);
    expect(table.numRows).toBe(1000);
    expect(table.batches.map((b) => b.numRows)).toEqual([256, 256, 256, 232]);
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`)).toEqual([
      'event_id:Utf8:false',
      'label_time:Timestamp<MILLISECOND, UTC>:false',
      'season:Int32:false',
      'home_team:Utf8:true',
      'away_team:Utf8:true',
      'target:Float64:false',
      'feature_0:Float64:true',
      'feature_1:Float64:true',
      'feature_2:Float64:true',
      'feature_3:Float64:true',
    ]);
    expect(table.getChild('event_id')?.toArray()).toEqual(rows.eventId);
    expect(Array.from({ length: 1000 }, (_, i) => table.getChild('label_time')?.get(i))).toEqual(Array.from(rows.labelTime));
    expect(Array.from(table.getChild('season')?.toArray() as Int32Array)).toEqual(Array.from(rows.season));
    expect([...(table.getChild('home_team') ?? [])]).toEqual(rows.homeTeam);
    expect([...(table.getChild('away_team') ?? [])]).toEqual(rows.awayTeam);
    expect([...(table.getChild('target') ?? [])]).toEqual(Array.from(rows.target));
    rows.features.forEach((source, f) => {
      const column = table.getChild(`feature_${f}`);
      const expected = Array.from(source, (v) => (Number.isNaN(v) ? null : v));
      expect([...(column ?? [])]).toEqual(expected);
      expect(column?.nullCount).toBe(expected.filter((v) => v === null).length);
      expect(column?.nullCount).toBeGreaterThan(0);
    });
    expect(rows.homeTeam).toContain(null);
  });

  it('keeps the caller\'s metadata, adds format and row count at the end, sorted by key', async () => {
    const file = path.join(dir, 'ds.arrow');
    const writer = await createDatasetWriter(file, options(2));
    await writer.writeBatch(sampleBatch(10, 2));
    await writer.writeBatch(sampleBatch(5, 2, 2));
    expect(writer.rowCount).toBe(15);
    await writer.finish({ metadata: new Map([['precog.end_event_id', 'evt-2-4']]) });

    const metadata = readTable(file).schema.metadata;
    expect([...metadata.keys()]).toEqual([
      'precog.dataset_format',
      'precog.end_event_id',
      'precog.features',
      'precog.row_count',
      'precog.spec',
    ]);
    expect(metadata.get(DATASET_METADATA_KEYS.rowCount)).toBe('15');
    expect(metadata.get(DATASET_METADATA_KEYS.format)).toBe(DATASET_FORMAT_VERSION);
    expect(metadata.get('precog.spec')).toBe(SPEC);
  });

  it('writes no schema message in the header, so the footer metadata is the only schema metadata', async () => {
    // Guards the assumption the row count relies on (see CapturingFileWriter): if an apache-arrow
    // upgrade starts writing the schema up front, its metadata would lack the row count.
    const file = path.join(dir, 'ds.arrow');
    await writeDataset(file, 1, [sampleBatch(10, 1)]);
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('ARROW1');
    const first = new MessageReader(bytes.subarray(8)).readMessage();
    expect(first?.headerType).toBe(MessageHeader.RecordBatch);
  });

  it('gives byte-identical files for the same rows, however they are split across writeBatch calls', async () => {
    const rows = sampleBatch(2500, 3);
    const a = await writeDataset(path.join(dir, 'a.arrow'), 3, [rows], { rowsPerBatch: 1000 });
    const b = await writeDataset(
      path.join(dir, 'b.arrow'),
      3,
      [sliceBatch(rows, 0, 1), sliceBatch(rows, 1, 999), sliceBatch(rows, 999, 1001), sliceBatch(rows, 1001, 2500)],
      { rowsPerBatch: 1000 },
    );
    expect(b.sha256).toBe(a.sha256);
    expect(fs.readFileSync(path.join(dir, 'b.arrow')).equals(fs.readFileSync(path.join(dir, 'a.arrow')))).toBe(true);
  });

  it('gives different bytes for a different rowsPerBatch (the builder must keep it fixed)', async () => {
    const rows = sampleBatch(2500, 3);
    const a = await writeDataset(path.join(dir, 'a.arrow'), 3, [rows], { rowsPerBatch: 1000 });
    const b = await writeDataset(path.join(dir, 'b.arrow'), 3, [rows], { rowsPerBatch: 500 });
    expect(b.sha256).not.toBe(a.sha256);
  });

  it('does not depend on metadata insertion order or on which NaN marks a null', async () => {
    const rows = sampleBatch(100, 2);
    const oddNaN = new Float64Array(1);
    new DataView(oddNaN.buffer).setBigUint64(0, 0x7ff8_0000_dead_beefn, true);
    expect(Number.isNaN(oddNaN[0])).toBe(true);
    const otherNaNs = sliceBatch(rows, 0, 100);
    for (const column of otherNaNs.features as Float64Array[]) {
      column.forEach((v, i) => Number.isNaN(v) && (column[i] = oddNaN[0] ?? Number.NaN));
    }
    const bits = (b: DatasetBatch): Buffer => Buffer.concat(b.features.map((c) => Buffer.from((c as Float64Array).buffer)));
    expect(bits(otherNaNs).equals(bits(rows))).toBe(false);
    const reversed = new Map([...options(2).metadata].reverse());

    const a = await writeDataset(path.join(dir, 'a.arrow'), 2, [rows]);
    const b = await writeDataset(path.join(dir, 'b.arrow'), 2, [otherNaNs], { metadata: reversed });
    expect(b.sha256).toBe(a.sha256);
  });

  it('writes wide datasets (more buffers per batch than one gathered write takes)', async () => {
    const rows = sampleBatch(300, 600);
    const file = path.join(dir, 'wide.arrow');
    const written = await writeDataset(file, 600, [rows], { rowsPerBatch: 128 });
    expect(written.bytes).toBe(fs.statSync(file).size);
    const table = readTable(file);
    expect(table.numRows).toBe(300);
    expect([...(table.getChild('feature_599') ?? [])]).toEqual(Array.from(rows.features[599] ?? [], (v) => (Number.isNaN(v) ? null : v)));
  });

  it('writes a valid file with no rows', async () => {
    const file = path.join(dir, 'empty.arrow');
    const written = await writeDataset(file, 2, []);
    expect(written.rowCount).toBe(0);
    const table = readTable(file);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields).toHaveLength(8);
    expect(table.schema.metadata.get(DATASET_METADATA_KEYS.rowCount)).toBe('0');
  });

  it('rejects a batch with mismatched column lengths, removes its temp file and leaves nothing at path', async () => {
    const file = path.join(dir, 'ds.arrow');
    const writer = await createDatasetWriter(file, options(2));
    await writer.writeBatch(sampleBatch(50, 2));
    expect(leftovers()).toHaveLength(1); // the temp file exists while writing
    expect(leftovers()[0]).toMatch(/^ds\.arrow\.tmp-\d+-[0-9a-f]{12}$/);

    const bad = { ...sampleBatch(10, 2), season: new Int32Array(9) };
    await expect(writer.writeBatch(bad)).rejects.toThrow(DatasetBatchError);
    expect(leftovers()).toEqual([]);
    await expect(writer.writeBatch(sampleBatch(10, 2))).rejects.toThrow(DatasetWriterStateError);
    await expect(writer.finish()).rejects.toThrow(DatasetWriterStateError);
    await writer.abort(); // a no-op after failure
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ['an infinite feature', (b: DatasetBatch) => ({ ...b, features: [Float64Array.of(1, Infinity, 3), ...b.features.slice(1)] }), 'features[0]', 1],
    ['a NaN target', (b: DatasetBatch) => ({ ...b, target: Float64Array.of(0, 1, Number.NaN) }), 'target', 2],
    ['a fractional label time', (b: DatasetBatch) => ({ ...b, labelTime: [1, 2.5, 3] }), 'label_time', 1],
    ['a season out of Int32 range', (b: DatasetBatch) => ({ ...b, season: [2020, 2 ** 31, 2021] }), 'season', 1],
    ['a missing event id', (b: DatasetBatch) => ({ ...b, eventId: ['a', 'b', null as unknown as string] }), 'event_id', 2],
    ['too few feature arrays', (b: DatasetBatch) => ({ ...b, features: b.features.slice(1) }), 'features', -1],
  ])('rejects %s, naming the column and row, and cleans up', async (_, corrupt, column, row) => {
    const file = path.join(dir, 'ds.arrow');
    const writer = await createDatasetWriter(file, options(2));
    const error = await writer.writeBatch(corrupt(sampleBatch(3, 2))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetBatchError);
    expect(error).toMatchObject({ code: 'DATASET_BATCH_INVALID', column, row });
    expect(leftovers()).toEqual([]);
  });

  it('removes the temp file and leaves path untouched when the final rename fails', async () => {
    const file = path.join(dir, 'ds.arrow');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'keep'), 'x');
    const writer = await createDatasetWriter(file, options(1));
    await writer.writeBatch(sampleBatch(100, 1));
    await expect(writer.finish()).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(leftovers('ds.arrow')).toEqual([]);
    expect(fs.readdirSync(file)).toEqual(['keep']);
  });

  it('replaces an existing file at path only when finish succeeds', async () => {
    const file = path.join(dir, 'ds.arrow');
    fs.writeFileSync(file, 'old');
    const writer = await createDatasetWriter(file, options(1));
    await writer.writeBatch(sampleBatch(10, 1));
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    await writer.finish();
    expect(readTable(file).numRows).toBe(10);
    expect(leftovers('ds.arrow')).toEqual([]);
  });

  it('abort removes the temp file and writes nothing at path', async () => {
    const file = path.join(dir, 'ds.arrow');
    const writer = await createDatasetWriter(file, options(1));
    await writer.writeBatch(sampleBatch(10, 1));
    await writer.abort();
    expect(leftovers()).toEqual([]);
    await expect(writer.finish()).rejects.toThrow(DatasetWriterStateError);
  });

  it('refuses a second call while one is running', async () => {
    const writer = await createDatasetWriter(path.join(dir, 'ds.arrow'), options(1, { rowsPerBatch: 10 }));
    const first = writer.writeBatch(sampleBatch(100, 1));
    await expect(writer.writeBatch(sampleBatch(1, 1))).rejects.toThrow(DatasetWriterStateError);
    await first;
    await writer.finish();
    expect(readTable(path.join(dir, 'ds.arrow')).numRows).toBe(100);
  });

  it.each([
    ['a reserved metadata key', { metadata: new Map([[DATASET_METADATA_KEYS.rowCount, '3']]) }],
    ['a duplicate feature name', { featureColumns: ['a', 'b', 'a'] }],
    ['a feature named like a key column', { featureColumns: ['target'] }],
    ['an empty feature name', { featureColumns: [''] }],
  ])('rejects %s before creating any file', async (_, extra) => {
    await expect(createDatasetWriter(path.join(dir, 'ds.arrow'), { ...options(1), ...extra })).rejects.toThrow(DatasetLayoutError);
    expect(leftovers()).toEqual([]);
  });

  it('rejects finish metadata that repeats an up-front key, and cleans up', async () => {
    const writer = await createDatasetWriter(path.join(dir, 'ds.arrow'), options(1));
    await expect(writer.finish({ metadata: new Map([['precog.spec', '{}']]) })).rejects.toThrow(DatasetLayoutError);
    expect(leftovers()).toEqual([]);
  });

  it('property: any split of any rows gives the same bytes and round-trips', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (rowCount, featureCount, rowsPerBatch, cuts, seed) => {
          run++;
          const rows = sampleBatch(rowCount, featureCount, seed);
          const bounds = [0, ...cuts.filter((c) => c <= rowCount).sort((x, y) => x - y), rowCount];
          const pieces = bounds.slice(1).map((to, i) => sliceBatch(rows, bounds[i] ?? 0, to));
          const whole = await writeDataset(path.join(dir, `w${run}.arrow`), featureCount, [rows], { rowsPerBatch });
          const split = await writeDataset(path.join(dir, `s${run}.arrow`), featureCount, pieces, { rowsPerBatch });
          expect(split.sha256).toBe(whole.sha256);
          const table = readTable(path.join(dir, `s${run}.arrow`));
          expect(table.numRows).toBe(rowCount);
          expect(table.getChild('event_id')?.toArray() ?? []).toEqual(rows.eventId);
          rows.features.forEach((source, f) => {
            expect([...(table.getChild(`feature_${f}`) ?? [])]).toEqual(Array.from(source, (v) => (Number.isNaN(v) ? null : v)));
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
