import { Field, Float64, Int32, Schema, TimestampMillisecond, Utf8, type DataType, type TypeMap } from 'apache-arrow';
import { DatasetFormatError, DatasetLayoutError } from './errors.js';

/**
 * The key columns every dataset file starts with, in file order; the feature columns follow.
 *
 * | column       | Arrow type                   | nullable |
 * |--------------|------------------------------|----------|
 * | `event_id`   | Utf8                         | no       |
 * | `label_time` | Timestamp(millisecond, UTC)  | no       |
 * | `season`     | Int32                        | no       |
 * | `home_team`  | Utf8                         | yes      |
 * | `away_team`  | Utf8                         | yes      |
 * | `target`     | Float64                      | no       |
 * | features…    | Float64                      | yes      |
 */
export const DATASET_KEY_COLUMNS = ['event_id', 'label_time', 'season', 'home_team', 'away_team', 'target'] as const;
export type DatasetKeyColumn = (typeof DATASET_KEY_COLUMNS)[number];

/** Version of this layout, written to every file under {@link DATASET_METADATA_KEYS.format}. */
export const DATASET_FORMAT_VERSION = '1';

/**
 * Schema metadata keys the writer sets itself. A caller passing one of them is an error:
 * the row count is only known when the writer finishes, so the writer owns it.
 */
export const DATASET_METADATA_KEYS = {
  format: 'precog.dataset_format',
  rowCount: 'precog.row_count',
} as const;

const RESERVED_METADATA_KEYS: ReadonlySet<string> = new Set(Object.values(DATASET_METADATA_KEYS));

/**
 * `label_time` is an int64 column; JS reads and writes it as two 32-bit words through an Int32Array
 * view, several times faster than a `BigInt` per row. Arrow buffers use the platform byte order,
 * so the word order is probed rather than assumed. Exact for every safe-integer millisecond value.
 */
export const INT64_WORDS = (() => {
  const low = new Int32Array(BigInt64Array.of(1n).buffer)[0] === 1 ? 0 : 1;
  return { low, high: 1 - low, base: 4_294_967_296 } as const;
})();

function keyFields(): Field<DataType>[] {
  return [
    new Field('event_id', new Utf8(), false),
    new Field('label_time', new TimestampMillisecond('UTC'), false),
    new Field('season', new Int32(), false),
    new Field('home_team', new Utf8(), true),
    new Field('away_team', new Utf8(), true),
    new Field('target', new Float64(), false),
  ];
}

/**
 * Checks feature column names: each non-empty, unique, and not the name of a key column.
 * Throws {@link DatasetLayoutError} naming the first bad one.
 */
export function validateFeatureColumns(featureColumns: readonly string[]): void {
  const seen = new Set<string>(DATASET_KEY_COLUMNS);
  for (const name of featureColumns) {
    if (name.length === 0) {
      throw new DatasetLayoutError(name, 'feature column name is empty');
    }
    if (seen.has(name)) {
      const why = (DATASET_KEY_COLUMNS as readonly string[]).includes(name) ? 'is a key column name' : 'appears twice';
      throw new DatasetLayoutError(name, `feature column name ${why}`);
    }
    seen.add(name);
  }
}

/**
 * Builds the Arrow schema of a dataset file: the key columns, then one nullable Float64 column per
 * feature name, in the order given. Metadata entries are sorted by key so that the same entries give
 * the same bytes whatever order the caller inserted them in.
 *
 * Rules: feature names pass {@link validateFeatureColumns}; caller metadata must not use a
 * {@link DATASET_METADATA_KEYS} key unless `allowReserved` is set (only the writer sets it, when it
 * adds the format version and the final row count). Throws {@link DatasetLayoutError}.
 */
export function datasetSchema(
  featureColumns: readonly string[],
  metadata: ReadonlyMap<string, string>,
  { allowReserved = false }: { allowReserved?: boolean } = {},
): Schema<TypeMap> {
  validateFeatureColumns(featureColumns);
  for (const key of metadata.keys()) {
    if (key.length === 0) {
      throw new DatasetLayoutError(key, 'metadata key is empty');
    }
    if (!allowReserved && RESERVED_METADATA_KEYS.has(key)) {
      throw new DatasetLayoutError(key, 'metadata key is reserved for the dataset writer');
    }
  }
  const sorted = new Map([...metadata].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const fields = [...keyFields(), ...featureColumns.map((name) => new Field(name, new Float64(), true))];
  return new Schema<TypeMap>(fields, sorted);
}

/** What a dataset file's footer says about it. */
export interface DatasetLayout {
  readonly featureColumns: readonly string[];
  readonly rowCount: number;
  readonly metadata: ReadonlyMap<string, string>;
}

/**
 * Reads the layout of a dataset file from its schema and checks it is one this code wrote: the key
 * columns with their exact types and nullability, then nullable Float64 feature columns, the known
 * format version and a row count. Throws {@link DatasetFormatError} naming `path` otherwise.
 */
export function readDatasetLayout(schema: Schema, path: string): DatasetLayout {
  const expectedKeys = keyFields();
  const fields = schema.fields;
  if (fields.length < expectedKeys.length) {
    throw new DatasetFormatError(path, `has ${fields.length} columns, fewer than the ${expectedKeys.length} key columns`);
  }
  expectedKeys.forEach((expected, i) => checkField(path, fields[i], expected));
  const featureColumns = fields.slice(expectedKeys.length).map((field) => {
    checkField(path, field, new Field(field.name, new Float64(), true));
    return field.name;
  });
  try {
    validateFeatureColumns(featureColumns);
  } catch (error) {
    throw new DatasetFormatError(path, error instanceof Error ? error.message : String(error), { cause: error });
  }

  const metadata = schema.metadata;
  const format = metadata.get(DATASET_METADATA_KEYS.format);
  if (format !== DATASET_FORMAT_VERSION) {
    throw new DatasetFormatError(
      path,
      `metadata ${DATASET_METADATA_KEYS.format} is ${JSON.stringify(format ?? null)}, expected "${DATASET_FORMAT_VERSION}"`,
    );
  }
  const rawCount = metadata.get(DATASET_METADATA_KEYS.rowCount) ?? '';
  const rowCount = /^(0|[1-9][0-9]*)$/.test(rawCount) ? Number(rawCount) : Number.NaN;
  if (!Number.isSafeInteger(rowCount)) {
    throw new DatasetFormatError(path, `metadata ${DATASET_METADATA_KEYS.rowCount} is ${JSON.stringify(rawCount)}, not a row count`);
  }
  return { featureColumns, rowCount, metadata: new Map(metadata) };
}

function checkField(path: string, actual: Field | undefined, expected: Field): void {
  // Compare types by their canonical description: a decoded file type is a generic `Int`/`Float`,
  // not the `Int32`/`Float64` subclass we built, so `instanceof`-based comparison would disagree.
  if (
    actual === undefined ||
    actual.name !== expected.name ||
    actual.nullable !== expected.nullable ||
    actual.typeId !== expected.typeId ||
    String(actual.type) !== String(expected.type)
  ) {
    const got = actual === undefined ? 'nothing' : describeField(actual);
    throw new DatasetFormatError(path, `expected column ${describeField(expected)}, found ${got}`);
  }
}

function describeField(field: Field): string {
  return `${field.name}: ${String(field.type)}${field.nullable ? ' (nullable)' : ''}`;
}
