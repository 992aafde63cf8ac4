import fs from 'node:fs';
import { Readable } from 'node:stream';
import { CsvError, parse as parseStream, type Options } from 'csv-parse';
import { parse as parseText } from 'csv-parse/sync';
import type { z } from 'zod';
import { InvalidInputError, MAX_REPORTED_PROBLEMS, type InputProblem } from '../../errors.js';

/** CSV text, or a stream / async iterable of its chunks. */
export type CsvInput = string | Buffer | Readable | AsyncIterable<string | Buffer>;

/** A raw data row: every required column's text, keyed by column name. */
export type RawRow = Readonly<Record<string, string>>;

/**
 * How one CSV file maps to records: the header columns it must have, a zod schema that
 * validates and converts a raw row (every issue's `path[0]` names the offending column), and
 * the final record built from the converted row and its line.
 */
export interface CsvTableSpec<Row, T> {
  readonly columns: readonly string[];
  readonly row: z.ZodType<Row, RawRow>;
  readonly build: (row: Row, line: number) => T;
}

/** A data row that failed validation, with every problem found in it. */
export interface RejectedRow {
  readonly line: number;
  readonly problems: readonly InputProblem[];
}

/** The valid records of a file and the rows it rejected, in file order. */
export interface CsvTableResult<T> {
  readonly valid: readonly T[];
  readonly rejected: readonly RejectedRow[];
}

const PARSE_OPTIONS: Options = {
  info: true,
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
};

interface ParsedRecord {
  readonly fields: readonly string[];
  readonly endLine: number;
}

function toParsedRecord(item: unknown): ParsedRecord {
  // csv-parse types its `info: true` output as `any`; check the shape once here.
  if (typeof item === 'object' && item !== null && 'record' in item && 'info' in item) {
    const { record, info } = item;
    if (Array.isArray(record) && typeof info === 'object' && info !== null && 'lines' in info) {
      const lines = info.lines;
      if (typeof lines === 'number') return { fields: record.map(String), endLine: lines };
    }
  }
  throw new TypeError('unexpected csv-parse output shape');
}

function fatal(source: string, line: number, column: string, value: string, reason: string): InvalidInputError {
  return new InvalidInputError(source, [{ file: source, line, column, value, reason }]);
}

function csvSyntaxError(source: string, error: CsvError): InvalidInputError {
  const lines = (error as { lines?: unknown }).lines;
  return fatal(source, typeof lines === 'number' ? lines : 0, '(csv)', '', error.message);
}

/**
 * Validates a table row by row. The header must hold every column of the spec (extra
 * columns are ignored); a missing column, an empty file or broken CSV is fatal and throws
 * {@link InvalidInputError} at once. Every other problem rejects only its row.
 * Lines are physical 1-based lines of the file (header = line 1); a quoted field that spans
 * lines is reported at the line where its row starts.
 */
function createTableValidator<Row, T>(spec: CsvTableSpec<Row, T>, source: string) {
  let indexes: ReadonlyMap<string, number> | undefined;
  let width = 0;
  const valid: T[] = [];
  const rejected: RejectedRow[] = [];

  function header(fields: readonly string[], line: number): void {
    const names = fields.map((f) => f.trim());
    const problems: InputProblem[] = [];
    for (const column of spec.columns) {
      if (!names.includes(column)) {
        problems.push({ file: source, line, column, value: '', reason: 'required column is missing from the header' });
      }
    }
    names.forEach((name, i) => {
      if (spec.columns.includes(name) && names.indexOf(name) !== i) {
        problems.push({ file: source, line, column: name, value: name, reason: 'column appears twice in the header' });
      }
    });
    if (problems.length > 0) throw new InvalidInputError(source, problems);
    indexes = new Map(spec.columns.map((c) => [c, names.indexOf(c)]));
    width = names.length;
  }

  function data(fields: readonly string[], line: number, columnOf: ReadonlyMap<string, number>): void {
    if (fields.length !== width) {
      const reason = `row has ${fields.length} fields but the header has ${width}`;
      const extra = fields.length > width;
      const missing = spec.columns.find((c) => (columnOf.get(c) ?? 0) >= fields.length);
      const column = extra ? `(field ${width + 1})` : (missing ?? `(field ${fields.length + 1})`);
      const value = extra ? (fields[width] ?? '') : '';
      rejected.push({ line, problems: [{ file: source, line, column, value, reason }] });
      return;
    }
    const raw: Record<string, string> = {};
    for (const [column, index] of columnOf) raw[column] = fields[index] ?? '';
    const parsed = spec.row.safeParse(raw);
    if (parsed.success) {
      valid.push(spec.build(parsed.data, line));
      return;
    }
    rejected.push({
      line,
      problems: parsed.error.issues.map((issue) => {
        const column = typeof issue.path[0] === 'string' ? issue.path[0] : '(row)';
        return { file: source, line, column, value: raw[column] ?? '', reason: issue.message };
      }),
    });
  }

  return {
    accept(record: ParsedRecord): void {
      const newlines = record.fields.reduce((n, f) => n + (f.split('\n').length - 1), 0);
      const line = record.endLine - newlines;
      if (indexes === undefined) header(record.fields, line);
      else data(record.fields, line, indexes);
    },
    finish(): CsvTableResult<T> {
      if (indexes === undefined) {
        throw fatal(source, 1, '(header)', '', `file is empty; expected a header with ${spec.columns.join(',')}`);
      }
      return { valid, rejected };
    },
  };
}

function toReadable(input: CsvInput): Readable {
  if (typeof input === 'string' || Buffer.isBuffer(input)) return Readable.from([input]);
  if (input instanceof Readable) return input;
  return Readable.from(input);
}

/**
 * Reads and validates a whole CSV table, keeping valid records and rejected rows apart (the
 * `--skip-invalid` mode). Throws {@link InvalidInputError} only for fatal problems: missing
 * header columns, an empty file, or CSV syntax that cannot be read past.
 */
export async function readCsvTable<Row, T>(
  input: CsvInput,
  spec: CsvTableSpec<Row, T>,
  source: string,
): Promise<CsvTableResult<T>> {
  const validator = createTableValidator(spec, source);
  const readable = toReadable(input);
  const parser = parseStream(PARSE_OPTIONS);
  readable.on('error', (error) => parser.destroy(error));
  readable.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<unknown>) validator.accept(toParsedRecord(item));
  } catch (error) {
    if (error instanceof CsvError) throw csvSyntaxError(source, error);
    throw error;
  } finally {
    readable.unpipe(parser);
    readable.destroy();
  }
  return validator.finish();
}

/** {@link readCsvTable} for CSV text already in memory, synchronously. */
export function readCsvTableSync<Row, T>(text: string, spec: CsvTableSpec<Row, T>, source: string): CsvTableResult<T> {
  const validator = createTableValidator(spec, source);
  let items: unknown[];
  try {
    items = parseText(text, PARSE_OPTIONS) as unknown[];
  } catch (error) {
    if (error instanceof CsvError) throw csvSyntaxError(source, error);
    throw error;
  }
  for (const item of items) validator.accept(toParsedRecord(item));
  return validator.finish();
}

/**
 * The valid records of `result`, or — if any row was rejected — one {@link InvalidInputError}
 * that details the first {@link MAX_REPORTED_PROBLEMS} problems and counts all of them.
 */
export function requireAllValid<T>(result: CsvTableResult<T>, source: string): readonly T[] {
  if (result.rejected.length === 0) return result.valid;
  const shown: InputProblem[] = [];
  let total = 0;
  for (const row of result.rejected) {
    total += row.problems.length;
    for (const p of row.problems) if (shown.length < MAX_REPORTED_PROBLEMS) shown.push(p);
  }
  throw new InvalidInputError(source, shown, total);
}

/** A read stream for `file`, for the `…File` readers (the path doubles as the error source). */
export function openCsvFile(file: string): Readable {
  return fs.createReadStream(file);
}
