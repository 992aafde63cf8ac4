import { Buffer, isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { RecordBatchReader, type Data, type Float64, type Int32, type RecordBatch, type Schema, type TimestampMillisecond, type TypeMap, type Utf8 } from 'apache-arrow';
import { DATASET_KEY_COLUMNS, INT64_WORDS, readDatasetLayout } from './dataset-columns.js';
import { DatasetChecksumError, DatasetFormatError } from './errors.js';

export interface OpenDatasetOptions {
  /** Lower- or upper-case hex sha256 the file must have (from the training_datasets row). */
  readonly expectedSha256?: string;
}

/** One feature column read into memory. */
export interface FeatureColumn {
  readonly name: string;
  /** One value per row; `NaN` exactly where the value is null (the writer never stores NaN as a value). */
  readonly values: Float64Array;
  /** 1 where the row has a value, 0 where it is null. */
  readonly valid: Uint8Array;
  readonly nullCount: number;
}

/**
 * A whole dataset as column arrays, row `i` of each belonging together, in file order.
 *
 * Shape chosen for a TF.js trainer: features are column-major `Float64Array`s with NaN for null,
 * so the trainer picks its columns, imputes (with statistics of the *training* fold only — which is
 * why imputation is not done here) and interleaves into one row-major `Float32Array` for
 * `tf.tensor2d(data, [rowCount, featureCount])`; `target` becomes the label tensor directly.
 */
export interface DatasetColumns {
  readonly rowCount: number;
  readonly eventId: string[];
  /** Epoch milliseconds, UTC. */
  readonly labelTime: Float64Array;
  readonly season: Int32Array;
  readonly homeTeam: (string | null)[];
  readonly awayTeam: (string | null)[];
  readonly target: Float64Array;
  /** In file order, one per feature column. */
  readonly features: FeatureColumn[];
}

/** An opened, checksum-verified dataset file. */
export interface DatasetFile {
  readonly path: string;
  /** Lower-case hex sha256 of the file as read by `openDataset`. */
  readonly sha256: string;
  readonly bytes: number;
  readonly schema: Schema<TypeMap>;
  /** All schema metadata, including `precog.row_count` and `precog.dataset_format`. */
  readonly metadata: ReadonlyMap<string, string>;
  readonly featureColumns: readonly string[];
  readonly rowCount: number;
  /** Streams the record batches in file order; holds one batch in memory at a time. */
  batches(): AsyncIterable<RecordBatch<TypeMap>>;
  /** Reads every row into typed column arrays. */
  readColumns(): Promise<DatasetColumns>;
}

/**
 * Opens a dataset file written by `createDatasetWriter`.
 *
 * Rules:
 * - The whole file is hashed first. With `expectedSha256`, a different hash throws
 *   {@link DatasetChecksumError} (path, expected, actual) before anything is parsed.
 * - The footer schema must have the dataset layout (key columns, nullable Float64 features, format
 *   version, row count), else {@link DatasetFormatError}; so is any file apache-arrow cannot parse.
 * - `batches()` and `readColumns()` re-open the file: dataset files are immutable once written, so the
 *   verified bytes are the ones read. `readColumns()` also checks the rows add up to the row count.
 */
export async function openDataset(path: string, options: OpenDatasetOptions = {}): Promise<DatasetFile> {
  const { sha256, bytes } = await hashFile(path);
  const expected = options.expectedSha256?.toLowerCase();
  if (expected !== undefined && expected !== sha256) {
    throw new DatasetChecksumError(path, expected, sha256);
  }
  const schema = await readFooterSchema(path);
  const layout = readDatasetLayout(schema, path);
  return {
    path,
    sha256,
    bytes,
    schema,
    metadata: layout.metadata,
    featureColumns: layout.featureColumns,
    rowCount: layout.rowCount,
    batches: () => readBatches(path),
    readColumns: () => readColumns(path, layout.featureColumns, layout.rowCount),
  };
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
  });
  return { sha256: hash.digest('hex'), bytes };
}

async function readFooterSchema(path: string): Promise<Schema<TypeMap>> {
  const handle = await open(path, 'r');
  try {
    const reader = await RecordBatchReader.from<TypeMap>(handle);
    await reader.open();
    if (!reader.isFile()) {
      throw new DatasetFormatError(path, 'not an Arrow IPC file (no ARROW1 magic)');
    }
    return reader.schema;
  } catch (error) {
    if (error instanceof DatasetFormatError) throw error;
    throw new DatasetFormatError(path, `apache-arrow cannot read it: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  } finally {
    // Closing twice is harmless: the arrow reader may already have closed the handle at its end.
    await handle.close();
  }
}

async function* readBatches(path: string): AsyncGenerator<RecordBatch<TypeMap>> {
  const handle = await open(path, 'r');
  try {
    const reader = await RecordBatchReader.from<TypeMap>(handle);
    for await (const batch of reader) {
      yield batch;
    }
  } finally {
    await handle.close();
  }
}

async function readColumns(path: string, featureColumns: readonly string[], rowCount: number): Promise<DatasetColumns> {
  const eventId = new Array<string>(rowCount);
  const labelTime = new Float64Array(rowCount);
  const season = new Int32Array(rowCount);
  const homeTeam = new Array<string | null>(rowCount);
  const awayTeam = new Array<string | null>(rowCount);
  const target = new Float64Array(rowCount);
  const features = featureColumns.map((name) => ({
    name,
    values: new Float64Array(rowCount),
    valid: new Uint8Array(rowCount),
    nullCount: 0,
  }));
  const firstFeature = DATASET_KEY_COLUMNS.length;
  const teams = new StringInterner();
  let at = 0;
  for await (const batch of readBatches(path)) {
    const n = batch.numRows;
    if (at + n > rowCount) {
      throw new DatasetFormatError(path, `holds more rows than its row count ${rowCount}`);
    }
    copyUtf8(child<Utf8>(batch, 0), eventId, at, { path, column: 'event_id' });
    copyTimestamps(child<TimestampMillisecond>(batch, 1), labelTime, at);
    const seasons = child<Int32>(batch, 2);
    season.set(seasons.values.subarray(seasons.offset, seasons.offset + n), at);
    copyUtf8(child<Utf8>(batch, 3), homeTeam, at, { path, column: 'home_team', interner: teams });
    copyUtf8(child<Utf8>(batch, 4), awayTeam, at, { path, column: 'away_team', interner: teams });
    const targets = child<Float64>(batch, 5);
    target.set(targets.values.subarray(targets.offset, targets.offset + n), at);
    features.forEach((feature, f) => {
      feature.nullCount += copyFeature(child<Float64>(batch, firstFeature + f), feature.values, feature.valid, at);
    });
    at += n;
  }
  if (at !== rowCount) {
    throw new DatasetFormatError(path, `holds ${at} rows, its row count says ${rowCount}`);
  }
  return { rowCount, eventId, labelTime, season, homeTeam, awayTeam, target, features };
}

/**
 * The single Data chunk of column `index` of a batch read from a file. The cast is checked: every
 * batch of a file has the footer schema, which `readDatasetLayout` validated.
 */
function child<T extends Utf8 | TimestampMillisecond | Int32 | Float64>(batch: RecordBatch<TypeMap>, index: number): Data<T> {
  const data = batch.data.children[index];
  if (data === undefined) {
    throw new RangeError(`record batch has no column ${index}`);
  }
  return data as Data<T>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One string per distinct value of a low-cardinality column (team codes): a hit costs a byte hash
 * and compare instead of allocating a string, and a million short strings are mostly GC time.
 * Bounded: past `limit` distinct values, new ones are simply not cached.
 */
class StringInterner {
  readonly #entries = new Map<number, { bytes: Uint8Array; text: string }>();
  readonly #limit: number;

  constructor(limit = 4096) {
    this.#limit = limit;
  }

  /** The cached string for `bytes[begin, end)`, or `make()`'s result (cached when there is room). */
  get(bytes: Uint8Array, begin: number, end: number, make: () => string): string {
    let hash = 0x811c9dc5;
    for (let i = begin; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    const entry = this.#entries.get(hash);
    if (entry !== undefined && sameBytes(entry.bytes, bytes, begin, end)) return entry.text;
    const text = make();
    if (entry === undefined && this.#entries.size < this.#limit) {
      this.#entries.set(hash, { bytes: bytes.slice(begin, end), text });
    }
    return text;
  }
}

function sameBytes(cached: Uint8Array, bytes: Uint8Array, begin: number, end: number): boolean {
  if (cached.length !== end - begin) return false;
  for (let i = 0; i < cached.length; i++) if (cached[i] !== bytes[begin + i]) return false;
  return true;
}

/**
 * Decodes a Utf8 column into `out` from `at`. The whole column is decoded once and sliced, which is
 * several times faster than decoding each value: ASCII as latin1 (byte offsets are string offsets),
 * otherwise strictly as UTF-8 with byte offsets mapped to UTF-16 offsets in one scan. Strict
 * decoding is what makes that mapping exact; invalid UTF-8 is a corrupt file.
 */
function copyUtf8(
  data: Data<Utf8>,
  out: (string | null)[],
  at: number,
  where: { path: string; column: string; interner?: StringInterner },
): void {
  const { valueOffsets: offsets, offset, length, nullBitmap } = data;
  const hasNulls = data.nullCount > 0;
  const start = offsets[offset]!;
  const bytes = Buffer.from(data.values.buffer, data.values.byteOffset + start, offsets[offset + length]! - start);
  const ascii = isAscii(bytes);
  let text: string;
  try {
    text = ascii ? bytes.toString('latin1') : strictUtf8.decode(bytes);
  } catch (error) {
    throw new DatasetFormatError(where.path, `column ${where.column} holds invalid UTF-8`, { cause: error });
  }
  const interner = where.interner;
  let byte = 0;
  let unit = 0;
  for (let i = 0; i < length; i++) {
    const beginByte = offsets[offset + i]! - start;
    const endByte = offsets[offset + i + 1]! - start;
    const begin = unit;
    if (ascii) {
      unit = endByte;
    } else {
      for (; byte < endByte; byte++) {
        // Each non-continuation byte starts a code point: 4-byte ones are two UTF-16 units.
        const b = bytes[byte]!;
        if ((b & 0xc0) !== 0x80) unit += b >= 0xf0 ? 2 : 1;
      }
    }
    const bit = offset + i;
    if (hasNulls && ((nullBitmap[bit >> 3]! >> (bit & 7)) & 1) === 0) {
      out[at + i] = null;
    } else {
      const end = unit;
      out[at + i] = interner ? interner.get(bytes, beginByte, endByte, () => text.slice(begin, end)) : text.slice(begin, end);
    }
  }
}

function copyTimestamps(data: Data<TimestampMillisecond>, out: Float64Array, at: number): void {
  const { values, offset, length } = data;
  const words = new Int32Array(values.buffer, values.byteOffset + offset * 8, length * 2);
  const { low, high, base } = INT64_WORDS;
  for (let i = 0; i < length; i++) {
    out[at + i] = words[2 * i + high]! * base + (words[2 * i + low]! >>> 0);
  }
}

/** Copies a Float64 feature column, writing NaN and a 0 validity byte for nulls; returns the null count. */
function copyFeature(data: Data<Float64>, values: Float64Array, valid: Uint8Array, at: number): number {
  const { offset, length } = data;
  values.set(data.values.subarray(offset, offset + length), at);
  valid.fill(1, at, at + length);
  if (data.nullCount === 0) return 0;
  let nulls = 0;
  const bitmap = data.nullBitmap;
  for (let i = 0; i < length; i++) {
    const bit = offset + i;
    const byte = bitmap[bit >> 3]!;
    if (byte === 0xff && (bit & 7) === 0 && i + 8 <= length) {
      i += 7; // eight valid rows at once: the common case
    } else if (((byte >> (bit & 7)) & 1) === 0) {
      values[at + i] = Number.NaN;
      valid[at + i] = 0;
      nulls++;
    }
  }
  return nulls;
}
