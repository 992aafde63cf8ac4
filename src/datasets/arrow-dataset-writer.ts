import { Buffer } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  Float64,
  Int32,
  RecordBatch,
  RecordBatchFileWriter,
  Struct,
  TimestampMillisecond,
  Utf8,
  makeData,
  type Data,
  type DataType,
  type Schema,
  type TypeMap,
} from 'apache-arrow';
import { DATASET_FORMAT_VERSION, DATASET_METADATA_KEYS, INT64_WORDS, datasetSchema } from './dataset-columns.js';
import { DatasetBatchError, DatasetLayoutError, DatasetWriterStateError } from './errors.js';

/**
 * Rows per Arrow record batch in a dataset file. The writer re-cuts whatever it is given into
 * batches of exactly this many rows (the last one shorter), so a file's bytes do not depend on how
 * the caller split its rows across {@link DatasetWriter.writeBatch} calls — only on this number.
 */
export const DEFAULT_ROWS_PER_BATCH = 65_536;

/** Largest `rowsPerBatch` accepted: keeps one batch's string bytes far below Arrow's 2 GiB Utf8 offset limit. */
export const MAX_ROWS_PER_BATCH = 1 << 20;

/**
 * A columnar slice of dataset rows; every column has the same length. Row `i` of the slice is
 * `eventId[i]`, `labelTime[i]`, … `features[f][i]`.
 */
export interface DatasetBatch {
  readonly eventId: readonly string[];
  /** Label (decision) time as integer epoch milliseconds, UTC. */
  readonly labelTime: ArrayLike<number>;
  /** Integer season, in Int32 range. */
  readonly season: ArrayLike<number>;
  readonly homeTeam: readonly (string | null)[];
  readonly awayTeam: readonly (string | null)[];
  /** Finite target value; a row without a target is not a training row. */
  readonly target: ArrayLike<number>;
  /**
   * One array per feature column, in the writer's `featureColumns` order. `NaN` (any NaN bit
   * pattern) means null and is written as an Arrow null, never as a NaN value; ±Infinity is rejected.
   */
  readonly features: readonly ArrayLike<number>[];
}

export interface DatasetWriterOptions {
  /** Feature column names, in file order (after the key columns). */
  readonly featureColumns: readonly string[];
  /** Schema metadata known up front (e.g. `precog.spec` JSON, feature versions). Must not use `precog.row_count`/`precog.dataset_format`. */
  readonly metadata: ReadonlyMap<string, string>;
  /** Rows per record batch; part of the file's bytes. Default {@link DEFAULT_ROWS_PER_BATCH}. */
  readonly rowsPerBatch?: number;
}

export interface FinishDatasetOptions {
  /** Metadata only known at the end (e.g. first/last event id); merged with the up-front metadata, which it must not repeat. */
  readonly metadata?: ReadonlyMap<string, string>;
}

/** A dataset file that is complete, synced and in place. */
export interface WrittenDataset {
  readonly path: string;
  /** Lower-case hex sha256 of the whole file. */
  readonly sha256: string;
  readonly rowCount: number;
  readonly bytes: number;
}

/**
 * Streams rows into one Arrow IPC file. Calls must be sequential (await each); a call made while
 * another is running throws {@link DatasetWriterStateError}. Any error inside `writeBatch` or
 * `finish` abandons the write: the temporary file is removed and the writer is `failed`.
 */
export interface DatasetWriter {
  /** Final path of the file; nothing exists there until `finish` succeeds. */
  readonly path: string;
  /** Rows accepted so far. */
  readonly rowCount: number;
  writeBatch(batch: DatasetBatch): Promise<void>;
  finish(options?: FinishDatasetOptions): Promise<WrittenDataset>;
  /** Abandons the write and removes the temporary file. A no-op once finished or failed. */
  abort(): Promise<void>;
}

/**
 * Opens a streaming writer for a dataset file at `path`.
 *
 * Rules:
 * - Rows go to `<path>.tmp-<pid>-<random>` as they arrive, re-cut into record batches of
 *   `rowsPerBatch` rows; memory holds at most one such batch plus the caller's current batch.
 * - The sha256 is computed over the bytes as they are written, never by re-reading the file.
 * - `finish` writes the footer — whose schema metadata gets `precog.dataset_format` and
 *   `precog.row_count`, known only then — fsyncs the file, renames it onto `path` (replacing any
 *   file there) and fsyncs the directory. On any failure the temp file is removed and `path` is
 *   left as it was (except a failed directory fsync, which comes after the complete file is in place).
 * - Deterministic: the bytes are a function of the feature names, the metadata entries, the row
 *   sequence and `rowsPerBatch` only. No clock, pid or random value reaches the file; metadata is
 *   sorted by key; null feature slots are written as 0 whatever NaN the caller used.
 *
 * Throws {@link DatasetLayoutError} for bad feature names or reserved metadata keys.
 */
export async function createDatasetWriter(path: string, options: DatasetWriterOptions): Promise<DatasetWriter> {
  const rowsPerBatch = options.rowsPerBatch ?? DEFAULT_ROWS_PER_BATCH;
  if (!Number.isInteger(rowsPerBatch) || rowsPerBatch < 1 || rowsPerBatch > MAX_ROWS_PER_BATCH) {
    throw new RangeError(`rowsPerBatch must be an integer in 1..${MAX_ROWS_PER_BATCH}, got ${rowsPerBatch}`);
  }
  const featureColumns = [...options.featureColumns];
  const metadata = new Map(options.metadata);
  const schema = datasetSchema(featureColumns, metadata);
  const tempPath = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const handle = await open(tempPath, 'wx');
  const writer = new ArrowDatasetWriter({ path, tempPath, handle, featureColumns, metadata, schema, rowsPerBatch });
  try {
    await writer.start();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return writer;
}

type WriterState = 'open' | 'busy' | 'finished' | 'failed';

class ArrowDatasetWriter implements DatasetWriter {
  #state: WriterState = 'open';
  #rowCount = 0;
  #bytes = 0;
  #handleOpen = true;
  readonly #hash = createHash('sha256');
  readonly #arrow = new CapturingFileWriter();
  #stager: BatchStager;
  readonly path: string;
  readonly #tempPath: string;
  readonly #handle: FileHandle;
  readonly #featureColumns: readonly string[];
  readonly #metadata: ReadonlyMap<string, string>;
  readonly #schema: Schema<TypeMap>;
  readonly #rowsPerBatch: number;

  constructor(props: {
    path: string;
    tempPath: string;
    handle: FileHandle;
    featureColumns: readonly string[];
    metadata: ReadonlyMap<string, string>;
    schema: Schema<TypeMap>;
    rowsPerBatch: number;
  }) {
    this.path = props.path;
    this.#tempPath = props.tempPath;
    this.#handle = props.handle;
    this.#featureColumns = props.featureColumns;
    this.#metadata = props.metadata;
    this.#schema = props.schema;
    this.#rowsPerBatch = props.rowsPerBatch;
    this.#stager = new BatchStager(props.rowsPerBatch, props.featureColumns.length);
  }

  get rowCount(): number {
    return this.#rowCount + this.#stager.length;
  }

  /** Writes the file header, so that a file with no rows is still a valid dataset. */
  async start(): Promise<void> {
    this.#arrow.reset(undefined, this.#schema);
    await this.#writeCaptured();
  }

  async writeBatch(batch: DatasetBatch): Promise<void> {
    this.#enter('write a batch to');
    try {
      const n = checkBatchShape(batch, this.#featureColumns.length);
      for (let from = 0; from < n; ) {
        const take = Math.min(this.#stager.free, n - from);
        this.#stager.append(batch, from, take);
        from += take;
        if (this.#stager.free === 0) {
          await this.#flush();
        }
      }
      this.#state = 'open';
    } catch (error) {
      await this.#fail();
      throw error;
    }
  }

  async finish(options: FinishDatasetOptions = {}): Promise<WrittenDataset> {
    this.#enter('finish');
    try {
      const footerMetadata = new Map(this.#metadata);
      for (const [key, value] of options.metadata ?? []) {
        if (footerMetadata.has(key)) {
          throw new DatasetLayoutError(key, 'finish metadata repeats a key given when the writer was created');
        }
        footerMetadata.set(key, value);
      }
      // Validate caller keys before adding the writer's own reserved ones.
      datasetSchema(this.#featureColumns, footerMetadata);
      if (this.#stager.length > 0) {
        await this.#flush();
      }
      footerMetadata.set(DATASET_METADATA_KEYS.format, DATASET_FORMAT_VERSION);
      footerMetadata.set(DATASET_METADATA_KEYS.rowCount, String(this.#rowCount));
      this.#arrow.footerSchema = datasetSchema(this.#featureColumns, footerMetadata, { allowReserved: true });
      this.#arrow.finish();
      await this.#writeCaptured();
      await this.#handle.sync();
      this.#handleOpen = false;
      await this.#handle.close();
      await rename(this.#tempPath, this.path);
      await syncDirectory(dirname(this.path));
      this.#state = 'finished';
      return { path: this.path, sha256: this.#hash.digest('hex'), rowCount: this.#rowCount, bytes: this.#bytes };
    } catch (error) {
      await this.#fail();
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.#state === 'busy') {
      throw new DatasetWriterStateError(this.path, 'abort', 'busy with another call');
    }
    if (this.#state === 'open') {
      await this.#fail();
    }
  }

  #enter(operation: string): void {
    if (this.#state !== 'open') {
      const described = this.#state === 'busy' ? 'busy with another call' : this.#state;
      throw new DatasetWriterStateError(this.path, operation, described);
    }
    this.#state = 'busy';
  }

  async #flush(): Promise<void> {
    const staged = this.#stager;
    this.#stager = new BatchStager(this.#rowsPerBatch, this.#featureColumns.length);
    this.#arrow.write(staged.toRecordBatch(this.#schema));
    this.#rowCount += staged.length;
    await this.#writeCaptured();
  }

  async #writeCaptured(): Promise<void> {
    const chunks = this.#arrow.takeChunks();
    let total = 0;
    for (const chunk of chunks) {
      this.#hash.update(chunk);
      total += chunk.byteLength;
    }
    if (total === 0) return;
    const { bytesWritten } = await this.#handle.writev(chunks);
    if (bytesWritten < total) {
      // A short gathered write is legal; finish the rest from one joined buffer.
      const rest = Buffer.concat(chunks, total).subarray(bytesWritten);
      for (let offset = 0; offset < rest.byteLength; ) {
        offset += (await this.#handle.write(rest, offset, rest.byteLength - offset)).bytesWritten;
      }
    }
    this.#bytes += total;
  }

  async #fail(): Promise<void> {
    this.#state = 'failed';
    // Cleanup errors are swallowed on purpose: the error that made us fail is the one worth
    // reporting, and a leftover temp file is harmless (never at `path`, never registered).
    if (this.#handleOpen) {
      this.#handleOpen = false;
      await this.#handle.close().catch(() => undefined);
    }
    await unlink(this.#tempPath).catch(() => undefined);
  }
}

/**
 * apache-arrow's file writer, with its bytes captured synchronously instead of queued for an async
 * reader, and the footer schema replaceable until `finish`.
 *
 * Why this is safe: apache-arrow (checked on 21.2) writes the schema of an IPC *file* only in the
 * footer — the header is the magic and padding, with no schema message — so metadata set at the end
 * (the row count) is the file's one and only schema metadata. `arrow-dataset-writer.test.ts` checks
 * that the header holds no schema message, so an upgrade that changes this fails loudly.
 */
class CapturingFileWriter extends RecordBatchFileWriter<TypeMap> {
  footerSchema: Schema<TypeMap> | null = null;
  #chunks: Uint8Array[] = [];

  takeChunks(): Uint8Array[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    return chunks;
  }

  protected override _write(chunk: unknown): this {
    if (!ArrayBuffer.isView(chunk)) {
      throw new TypeError('apache-arrow wrote a non-binary chunk to a dataset file');
    }
    if (this._started && chunk.byteLength > 0) {
      this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this._position += chunk.byteLength;
    }
    return this;
  }

  protected override _writeFooter(schema: Schema<TypeMap>): this {
    return super._writeFooter(this.footerSchema ?? schema);
  }
}

/** Checks every column has the same length and the feature count is right; returns the row count. */
function checkBatchShape(batch: DatasetBatch, featureCount: number): number {
  const n = batch.eventId.length;
  const lengths: [string, number][] = [
    ['label_time', batch.labelTime.length],
    ['season', batch.season.length],
    ['home_team', batch.homeTeam.length],
    ['away_team', batch.awayTeam.length],
    ['target', batch.target.length],
  ];
  if (batch.features.length !== featureCount) {
    throw new DatasetBatchError('features', -1, batch.features.length, `expected ${featureCount} feature arrays`);
  }
  batch.features.forEach((column, f) => lengths.push([`features[${f}]`, column.length]));
  for (const [column, length] of lengths) {
    if (length !== n) {
      throw new DatasetBatchError(column, -1, length, `has ${length} rows, event_id has ${n}`);
    }
  }
  return n;
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * One record batch being filled, in the exact buffers Arrow will write. Buffers are fresh per batch
 * (zeroed, so null slots and bitmap padding are 0) and never reused: the captured chunks point into them.
 */
class BatchStager {
  length = 0;
  readonly #eventId: string[] = [];
  readonly #labelTime: BigInt64Array;
  /** 32-bit words of `#labelTime` (see {@link INT64_WORDS}). */
  readonly #labelWords: Int32Array;
  readonly #season: Int32Array;
  readonly #homeTeam: (string | null)[] = [];
  readonly #awayTeam: (string | null)[] = [];
  readonly #target: Float64Array;
  readonly #features: Float64Array[];
  readonly #validity: Uint8Array[];
  readonly #nullCounts: number[];

  constructor(
    readonly capacity: number,
    featureCount: number,
  ) {
    this.#labelTime = new BigInt64Array(capacity);
    this.#labelWords = new Int32Array(this.#labelTime.buffer);
    this.#season = new Int32Array(capacity);
    this.#target = new Float64Array(capacity);
    this.#features = Array.from({ length: featureCount }, () => new Float64Array(capacity));
    this.#validity = Array.from({ length: featureCount }, () => new Uint8Array((capacity + 7) >> 3));
    this.#nullCounts = new Array<number>(featureCount).fill(0);
  }

  get free(): number {
    return this.capacity - this.length;
  }

  /** Copies rows `from … from+count-1` of `batch`, checking each value; errors name the row in `batch`. */
  append(batch: DatasetBatch, from: number, count: number): void {
    const base = this.length;
    const end = from + count;
    for (let r = from; r < end; r++) {
      const id = batch.eventId[r];
      if (typeof id !== 'string') throw new DatasetBatchError('event_id', r, id, 'must be a string');
      this.#eventId.push(id);
    }
    const words = this.#labelWords;
    const { low, high, base: wordBase } = INT64_WORDS;
    for (let r = from, j = base; r < end; r++, j++) {
      const ms = batch.labelTime[r]!;
      if (!Number.isSafeInteger(ms)) throw new DatasetBatchError('label_time', r, ms, 'must be integer epoch milliseconds');
      words[2 * j + low] = ms | 0;
      words[2 * j + high] = Math.floor(ms / wordBase);
    }
    const season = this.#season;
    for (let r = from, j = base; r < end; r++, j++) {
      const s = batch.season[r]!;
      if (!Number.isInteger(s) || s < INT32_MIN || s > INT32_MAX) {
        throw new DatasetBatchError('season', r, s, 'must be a 32-bit integer');
      }
      season[j] = s;
    }
    appendStrings(this.#homeTeam, batch.homeTeam, from, end, 'home_team');
    appendStrings(this.#awayTeam, batch.awayTeam, from, end, 'away_team');
    const target = this.#target;
    for (let r = from, j = base; r < end; r++, j++) {
      const t = batch.target[r]!;
      if (!Number.isFinite(t)) throw new DatasetBatchError('target', r, t, 'must be a finite number');
      target[j] = t;
    }
    for (let f = 0; f < this.#features.length; f++) {
      this.#nullCounts[f]! += appendFeature(this.#features[f]!, this.#validity[f]!, batch.features[f]!, from, end, base, f);
    }
    this.length += count;
  }

  toRecordBatch(schema: Schema<TypeMap>): RecordBatch<TypeMap> {
    const n = this.length;
    const bitmapBytes = (n + 7) >> 3;
    const children: Data<DataType>[] = [
      utf8Data(this.#eventId),
      makeData({ type: new TimestampMillisecond('UTC'), length: n, nullCount: 0, data: this.#labelTime.subarray(0, n) }),
      makeData({ type: new Int32(), length: n, nullCount: 0, data: this.#season.subarray(0, n) }),
      utf8Data(this.#homeTeam),
      utf8Data(this.#awayTeam),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: this.#target.subarray(0, n) }),
      ...this.#features.map((values, f) =>
        makeData({
          type: new Float64(),
          length: n,
          nullCount: this.#nullCounts[f]!,
          nullBitmap: this.#validity[f]!.subarray(0, bitmapBytes),
          data: values.subarray(0, n),
        }),
      ),
    ];
    return new RecordBatch(schema, makeData({ type: new Struct<TypeMap>(schema.fields), length: n, nullCount: 0, children }));
  }
}

function appendStrings(
  out: (string | null)[],
  source: readonly (string | null)[],
  from: number,
  end: number,
  column: string,
): void {
  for (let r = from; r < end; r++) {
    const value = source[r];
    if (value !== null && typeof value !== 'string') throw new DatasetBatchError(column, r, value, 'must be a string or null');
    out.push(value);
  }
}

/** Copies one feature column's rows, mapping NaN to null (value 0, validity bit clear); returns the null count. */
function appendFeature(
  values: Float64Array,
  validity: Uint8Array,
  source: ArrayLike<number>,
  from: number,
  end: number,
  base: number,
  feature: number,
): number {
  let nulls = 0;
  for (let r = from, j = base; r < end; r++, j++) {
    const v = source[r]!;
    if (v !== v) {
      nulls++;
    } else if (v === Infinity || v === -Infinity) {
      throw new DatasetBatchError(`features[${feature}]`, r, v, 'must be finite (use NaN for a missing value)');
    } else {
      values[j] = v;
      validity[j >> 3]! |= 1 << (j & 7);
    }
  }
  return nulls;
}

/**
 * Builds an Arrow Utf8 column. Strings are joined and encoded in one call; when the result is ASCII
 * (byte length = string length, the usual case for ids and team codes) offsets come straight from
 * string lengths, otherwise each string is measured. Nulls get an empty slot and a clear bit.
 */
function utf8Data(values: readonly (string | null)[]): Data<Utf8> {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  // `join` writes null as ''; that is exactly the empty slot a null gets.
  const joined = values.join('');
  const bytes = Buffer.from(joined, 'utf8');
  const ascii = bytes.byteLength === joined.length;
  let nullCount = 0;
  let validity: Uint8Array | undefined;
  let end = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      nullCount++;
      validity ??= new Uint8Array((n + 7) >> 3).fill(0xff);
      validity[i >> 3]! &= ~(1 << (i & 7));
    } else {
      end += ascii ? value.length : utf8Length(value);
    }
    offsets[i + 1] = end;
  }
  if (end !== bytes.byteLength) {
    throw new Error(`internal: Utf8 offsets end at ${end}, encoded ${bytes.byteLength} bytes`);
  }
  if (validity !== undefined && (n & 7) !== 0) {
    // Clear the padding bits past the last row so equal columns always give equal bytes.
    validity[validity.length - 1]! &= (1 << (n & 7)) - 1;
  }
  return makeData({ type: new Utf8(), length: n, nullCount, nullBitmap: validity, valueOffsets: offsets, data: bytes });
}

/**
 * UTF-8 byte length of a string as Node encodes it (a lone surrogate becomes U+FFFD, 3 bytes).
 * A JS loop: for short strings it beats a native `Buffer.byteLength` call per value.
 */
function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** fsyncs a directory so a rename into it survives a crash; platforms that cannot open directories skip it. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(directory, 'r');
  } catch (error) {
    if (isErrnoException(error) && (error.code === 'EISDIR' || error.code === 'EPERM')) return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
