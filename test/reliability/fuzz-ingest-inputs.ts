import fc from 'fast-check';
import { SQL_ATTACKS } from './sql-attacks.js';

/**
 * Generated ingest files for the fuzz suite, each with its own oracle. A file is a list of
 * records whose every field says whether the documented rules accept it:
 * - `yes`: valid; with every other field valid the file must be imported, and this field
 *   stored as `expected`;
 * - `no`: invalid; the whole file must be rejected;
 * - `either`: may be rejected, or stored as `expected`.
 * Valid event times are offsets from a per-case base instant, so no two cases share a key
 * and a stored row can be found and compared exactly.
 */

export type Verdict = 'yes' | 'no' | 'either';

/** One field's text and what storing it must give. */
export interface Field<T> {
  readonly text: string;
  readonly verdict: Verdict;
  readonly expected?: T;
}

/** An instant field: its text and expected value depend on the case's base instant. */
export interface TimeField {
  readonly verdict: Verdict;
  text(base: number): string;
  expected(base: number): number | undefined;
}

/** What a stored row must look like (entity as the fixture's code or event id). */
export interface ExpectedRow {
  readonly feature: string;
  readonly entity: string;
  readonly timestamp: number;
  readonly value: number;
  readonly availableAt: number | undefined;
  readonly source: string;
  readonly reference: string | null;
  readonly metadata: unknown;
}

export interface RecordModel {
  readonly feature: Field<string>;
  readonly entity: Field<string>;
  readonly timestamp: TimeField;
  readonly value: Field<number>;
  readonly available_at: TimeField;
  readonly external_source: Field<string>;
  readonly external_reference_id: Field<string | null>;
  readonly metadata: Field<unknown>;
}

export const OPTIONAL_COLUMNS = ['available_at', 'external_source', 'external_reference_id', 'metadata'] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];
const REQUIRED_COLUMNS = ['feature', 'entity', 'timestamp', 'value'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | OptionalColumn;

/** A generated file: records, columns, and how it is written out. */
export interface IngestFileModel {
  readonly format: 'csv' | 'ndjson';
  readonly records: readonly RecordModel[];
  readonly optional: readonly OptionalColumn[];
  /** Column order (CSV), header spelling, line ends, BOM, blank lines, quoting. */
  readonly layout: {
    readonly order: readonly number[];
    readonly headerCase: readonly boolean[];
    readonly crlf: boolean;
    readonly bom: boolean;
    readonly blankLines: readonly boolean[];
    readonly quoteAll: boolean;
    /** NDJSON: write numbers and metadata objects as JSON rather than as strings. */
    readonly rawJson: readonly boolean[];
  };
}

const DEFAULT_SOURCE = 'import';


const attack = fc.constantFrom(...SQL_ATTACKS);

/** Text that the documented rules store (after trimming) when it fits `max` characters. */
function storableText(max: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 3, arbitrary: attack },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
      { weight: 2, arbitrary: fc.tuple(attack, fc.string({ maxLength: 8 }), attack).map(([a, b, c]) => `${a}${b}${c}`) },
    )
    .filter((s) => !/[\u0000\uFFFD]/.test(s) && s.trim().length <= max);
}

/** Text the rules reject in a text column: NUL, invalid UTF-8, lone surrogates, too long. */
function unstorableText(max: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('\u0000', 'a\u0000b', "'\u0000; drop table teams", '\uFFFD', 'bad \uFFFD byte', '\uD800', 'x\uDC00y', 'lone \uD83D'),
    fc.integer({ min: max + 1, max: max + 40 }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: 10_000, max: 120_000 }).map((n) => "'; drop table features_historical; --".repeat(Math.ceil(n / 37))),
  );
}

/** An optional text column: empty (the default) or storable text (stored trimmed). */
function textField<D extends string | null>(max: number, empty: D): fc.Arbitrary<Field<string | D>> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Field<string | D>>({ text: '', verdict: 'yes', expected: empty }) },
    {
      weight: 4,
      arbitrary: storableText(max).map((text): Field<string | D> => ({ text, verdict: 'yes', expected: text.trim() || empty })),
    },
  );
}

const jsonLeaf = fc.oneof(attack, fc.string({ maxLength: 10 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));

/** JSON text of a metadata object, or empty. */
const metadataField: fc.Arbitrary<Field<unknown>> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Field<unknown>>({ text: '', verdict: 'yes', expected: null }) },
  {
    weight: 5,
    arbitrary: fc
      .dictionary(fc.oneof(attack, fc.string({ maxLength: 8 })), fc.oneof(jsonLeaf, fc.array(jsonLeaf, { maxLength: 3 })), {
        maxKeys: 4,
      })
      .map((o): Field<unknown> => {
        const text = JSON.stringify(o);
        return { text, verdict: 'yes', expected: JSON.parse(text) as unknown };
      }),
  },
  {
    weight: 1,
    // Large, up to the 64 KiB cap (37 bytes a repeat); beyond it, see invalidMetadata.
    arbitrary: fc.integer({ min: 1_000, max: 1_700 }).map((n): Field<unknown> => {
      const big = { blob: "'; drop table features_historical; --".repeat(n), nested: { deep: [1, 2, { x: 'y' }] } };
      return { text: JSON.stringify(big), verdict: 'yes', expected: big };
    }),
  },
);

/** Text that is not a JSON object jsonb can hold. */
const invalidMetadata: fc.Arbitrary<Field<unknown>> = fc
  .constantFrom(
    '[1,2]',
    '"text"',
    '42',
    'null',
    'true',
    '{',
    "{'a': 1}",
    '{"a": 1',
    '{"a": "\\u0000"}',
    '{"a": "\\ud800"}',
    '{"\\udc00": 1}',
    '{"a": "x\\uDBFFy"}',
    "'; drop table features_historical; --",
  )
  .map((text): Field<unknown> => ({ text, verdict: 'no' }))
  // Over the 64 KiB cap.
  .chain((field) =>
    fc.oneof(
      { weight: 9, arbitrary: fc.constant(field) },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 1_800, max: 5_000 })
          .map((n): Field<unknown> => ({ text: JSON.stringify({ blob: "'; drop table features_historical; --".repeat(n) }), verdict: 'no' })),
      },
    ),
  );

/** A finite number as text (valid) or text that is not a finite decimal number (invalid). */
const valueField: fc.Arbitrary<Field<number>> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer().map(Number), fc.constantFrom(-0, 0, 5e-324, 1.7976931348623157e308)),
        fc.constantFrom('plain', 'exp', 'padded'),
      )
      .map(([v, style]): Field<number> => {
        const text = style === 'exp' ? v.toExponential() : style === 'padded' ? ` ${String(v)} ` : String(v);
        return { text, verdict: 'yes', expected: Object.is(v, -0) ? 0 : v };
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(['-0', 0], ['+.5', 0.5], ['5.', 5], ['0001', 1], ['1E3', 1000], ['0e-400', 0], ['5e-324', 5e-324])
      .map(([text, expected]): Field<number> => ({ text: String(text), verdict: 'yes', expected: Number(expected) })),
  },
);

/** Text that is not a finite decimal number. */
const invalidValue: fc.Arbitrary<Field<number>> = fc
  .constantFrom(
    '1e309', '-1e309', `1${'0'.repeat(400)}`, '1e-400', `0.${'0'.repeat(400)}1`, 'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '0x10', '0b1', '1_000', '1,5',
    '١٢', '𝟙', '', ' ', '1e', 'e1', '.', '-', '+', '--1', '1..2', "'1'", '1; drop table features_historical', '1e309; --',
  )
  .map((text): Field<number> => ({ text, verdict: 'no' }));

/** Valid instants: written in one of the ISO-8601 forms the rules accept, from a base. */
function validTime(slot: number): fc.Arbitrary<TimeField> {
  return fc
    .tuple(fc.constantFrom('Z', 'ms', 'space', 'nozone', 'offset+', 'offset-', 'nanos', 'date'), fc.integer({ min: 0, max: 59 }))
    .map(([form, second]): TimeField => {
      // Each record of a case has its own day: `date` form (midnight) and others never collide.
      const at = (base: number) => base + slot * 86_400_000 + (form === 'date' ? 0 : 3_600_000 + second * 1000 + (form === 'ms' ? 123 : 0));
      return {
        verdict: 'yes',
        expected: at,
        text(base) {
          const iso = new Date(at(base)).toISOString();
          switch (form) {
            case 'Z':
              return iso.replace('.000Z', 'Z');
            case 'ms':
              return iso;
            case 'space':
              return iso.replace('T', ' ').replace('.000Z', '');
            case 'nozone':
              return iso.replace('.000Z', '');
            case 'offset+':
              return `${new Date(at(base) + 5.5 * 3_600_000).toISOString().replace('.000Z', '')}+05:30`;
            case 'offset-':
              return `${new Date(at(base) - 8 * 3_600_000).toISOString().replace('.000Z', '')}-08:00`;
            case 'nanos':
              // Nine fraction digits, none finer than the millisecond.
              return iso.replace('Z', '000000Z');
            default:
              return iso.slice(0, 10);
          }
        },
      };
    });
}

/** Texts that are not instants within 1800–9999 in ISO-8601. */
const invalidTime: fc.Arbitrary<TimeField> = fc
  .constantFrom(
    '10000-01-01',
    '10000-01-01T00:00:00Z',
    '+010000-01-01T00:00:00.000Z',
    '9999-12-31T23:30:00-05:00',
    '0000-01-01',
    '1799-12-31',
    '-000001-01-01T00:00:00Z',
    '2021-02-29',
    '2020-13-01',
    '2020-00-10',
    '2020-01-01T25:00:00Z',
    '2020-01-01T23:60:00Z',
    '2020-01-01T00:00:00+25:00',
    '2021-02-30T12:00:00+01:00',
    '2020-01-01T24:00+00:00',
    '2021-01-01-05',
    '2020-01-01T00:00:00.0001Z',
    '2020-01-01T00:00:00.123456789+02:00',
    'now',
    'today',
    'infinity',
    '-infinity',
    'epoch',
    'allballs',
    '2020-1-1',
    '20200101T000000',
    '2020-01-01T00:00:00ZZ',
    "2020-01-01'; drop table features_historical; --",
    '2020-01-01\u0000',
  )
  .map((text): TimeField => ({ verdict: 'no', text: () => text, expected: () => undefined }));

/** An optional available_at: empty (the ingest time) or valid. */
function availableField(slot: number): fc.Arbitrary<TimeField> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<TimeField>({ verdict: 'yes', text: () => '', expected: () => undefined }) },
    { weight: 4, arbitrary: validTime(slot) },
  );
}

/** A (feature, entity) pair: the fixture's team and event features, or something unknown. */
const featureAndEntity: fc.Arbitrary<[Field<string>, Field<string>]> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom('AAA', 'BBB', 'CCC', 'DDD'), fc.constantFrom('code', 'lower', 'padded', 'alias'))
      .map(([code, style]): [Field<string>, Field<string>] => {
        const text = style === 'lower' ? code.toLowerCase() : style === 'padded' ? `  ${code} ` : style === 'alias' ? `${code}-alias` : code;
        return [{ text: 'rating@1', verdict: 'yes', expected: 'rating@1' }, { text, verdict: 'yes', expected: code }];
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('G0', 'G1', 'G2')
      .map((id): [Field<string>, Field<string>] => [{ text: 'line@1', verdict: 'yes', expected: 'line@1' }, { text: id, verdict: 'yes', expected: id }]),
  },
);

/** Feature references that name no registered feature. */
const invalidFeature: fc.Arbitrary<Field<string>> = fc
  .constantFrom('rating@2', 'rating', '@1', 'Rating@1', 'rating@1@1', ' ', "rating@1'; drop table features_historical; --", 'features_historical@1')
  .map((text): Field<string> => ({ text, verdict: 'no' }));

/** Entities that name no entity of the feature's kind. */
const invalidEntity: fc.Arbitrary<Field<string>> = fc
  .oneof(attack, fc.constantFrom('', 'ZZZ', 'G99', 'x'.repeat(101), 'AAA\u0000', 'A\uFFFDA'))
  .map((text): Field<string> => ({ text, verdict: 'no' }));

/** One field of one record replaced by an invalid one. */
export type Poison = readonly [record: number, column: Column, field: Field<unknown> | TimeField];
const poison: fc.Arbitrary<Poison> = fc.oneof(
  fc.tuple(fc.nat(5), fc.constant<Column>('feature'), invalidFeature),
  fc.tuple(fc.nat(5), fc.constant<Column>('entity'), invalidEntity),
  fc.tuple(fc.nat(5), fc.constantFrom<Column>('timestamp', 'available_at'), invalidTime),
  fc.tuple(fc.nat(5), fc.constant<Column>('value'), invalidValue),
  fc.tuple(fc.nat(5), fc.constant<Column>('external_source'), unstorableText(50).map((text): Field<unknown> => ({ text, verdict: 'no' }))),
  fc.tuple(fc.nat(5), fc.constant<Column>('external_reference_id'), unstorableText(200).map((text): Field<unknown> => ({ text, verdict: 'no' }))),
  fc.tuple(fc.nat(5), fc.constant<Column>('metadata'), invalidMetadata),
);

function recordModel(slot: number): fc.Arbitrary<RecordModel> {
  return fc
    .record({
      pair: featureAndEntity,
      timestamp: validTime(slot),
      value: valueField,
      available_at: availableField(slot),
      external_source: textField(50, DEFAULT_SOURCE),
      external_reference_id: textField(200, null),
      metadata: metadataField,
    })
    .map(({ pair: [feature, entity], ...rest }) => ({ feature, entity, ...rest }));
}

/** How a failing case is printed: the file as written for a fixed base, lines shortened. */
function describeModel(m: IngestFileModel): string {
  const base = Date.UTC(2000, 0, 1);
  const lines = renderIngestFile(m, base)
    .split('\n')
    .map((line) => JSON.stringify(line.length > 240 ? `${line.slice(0, 240)}… (${line.length} chars)` : line));
  return `${m.format} file, verdict ${verdictOf(m, base)}, columns ${columnsOf(m).join(',')}:\n${lines.join('\n')}`;
}

/** A whole generated ingest file (see the module comment). */
export function ingestFileModel(format: 'csv' | 'ndjson'): fc.Arbitrary<IngestFileModel> {
  return ingestFileModelRaw(format).map((m) => Object.assign(m, { [fc.toStringMethod]: () => describeModel(m) }));
}

function ingestFileModelRaw(format: 'csv' | 'ndjson'): fc.Arbitrary<IngestFileModel> {
  return fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.record({
      format: fc.constant(format),
      // Half the files are valid throughout; the others carry one or two invalid fields.
      records: fc
        .tuple(fc.tuple(...Array.from({ length: n }, (_, slot) => recordModel(slot))), fc.oneof(fc.constant([]), fc.array(poison, { minLength: 1, maxLength: 2 })))
        .map(([records, poisons]) => {
          const out: RecordModel[] = [...records];
          for (const [r, column, field] of poisons) {
            const i = r % n;
            out[i] = { ...out[i]!, [column]: field } as RecordModel;
          }
          return out;
        }),
      optional: fc.subarray([...OPTIONAL_COLUMNS]),
      layout: fc.record({
        order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 }),
        headerCase: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        crlf: fc.boolean(),
        bom: fc.boolean(),
        blankLines: fc.array(fc.boolean(), { minLength: n + 1, maxLength: n + 1 }),
        quoteAll: fc.boolean(),
        rawJson: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      }),
    }),
  );
}

/** The field of `column` in a record, as the file gives it (absent columns are empty). */
function fieldOf(model: IngestFileModel, record: RecordModel, column: Column, base: number): { text: string; verdict: Verdict } {
  if ((OPTIONAL_COLUMNS as readonly string[]).includes(column) && !model.optional.includes(column as OptionalColumn)) {
    return { text: '', verdict: 'yes' };
  }
  if (column === 'timestamp' || column === 'available_at') {
    const f = record[column];
    return { text: f.text(base), verdict: f.verdict };
  }
  return record[column];
}

function columnsOf(model: IngestFileModel): Column[] {
  const all: Column[] = [...REQUIRED_COLUMNS, ...model.optional];
  return model.layout.order.filter((i) => i < all.length).map((i) => all[i]!);
}

function csvField(text: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const JSON_OBJECT_TEXT = /^\{[\s\S]*\}$/;

/** Renders the file (a string: the test writes it as UTF-8) for the case's base instant. */
export function renderIngestFile(model: IngestFileModel, base: number): string {
  const { layout } = model;
  const eol = layout.crlf ? '\r\n' : '\n';
  const columns = columnsOf(model);
  const lines: string[] = [];
  if (model.format === 'csv') {
    lines.push(columns.map((c, i) => (layout.headerCase[i] ? c.toUpperCase() : c)).join(','));
  }
  model.records.forEach((record, r) => {
    if (layout.blankLines[r]) lines.push('');
    if (model.format === 'csv') {
      lines.push(columns.map((c) => csvField(fieldOf(model, record, c, base).text, layout.quoteAll)).join(','));
      return;
    }
    const members = columns.map((c) => {
      const text = fieldOf(model, record, c, base).text;
      const raw = layout.rawJson[r] === true && ((c === 'value' && JSON_NUMBER.test(text)) || (c === 'metadata' && JSON_OBJECT_TEXT.test(text)));
      return `${JSON.stringify(c)}:${raw ? text : JSON.stringify(text)}`;
    });
    lines.push(`{${members.join(',')}}`);
  });
  if (layout.blankLines[model.records.length]) lines.push('');
  return `${layout.bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}

/** What the documented rules say about the whole file: must import, must reject, or either. */
export function verdictOf(model: IngestFileModel, base: number): Verdict {
  const verdicts = model.records.flatMap((r) => columnsOf(model).map((c) => fieldOf(model, r, c, base).verdict));
  if (verdicts.includes('no')) return 'no';
  return verdicts.includes('either') ? 'either' : 'yes';
}

/** The rows an import of the file must store (meaningful when the verdict is not `no`). */
export function expectedRows(model: IngestFileModel, base: number): ExpectedRow[] {
  const has = (c: OptionalColumn) => model.optional.includes(c);
  return model.records.map((r) => ({
    feature: r.feature.expected!,
    entity: r.entity.expected!,
    timestamp: r.timestamp.expected(base)!,
    value: r.value.expected!,
    availableAt: has('available_at') ? r.available_at.expected(base) : undefined,
    source: has('external_source') ? r.external_source.expected! : DEFAULT_SOURCE,
    reference: has('external_reference_id') ? r.external_reference_id.expected! : null,
    metadata: has('metadata') ? r.metadata.expected : null,
  }));
}
