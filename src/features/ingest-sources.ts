import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import type { InputProblem } from '../errors.js';
import { INGEST_COLUMNS, REQUIRED_INGEST_COLUMNS, type IngestColumn, type RawIngestRecord } from './ingest-row.js';

/** A record, or a problem that makes a whole line (or the header) unusable. */
export type SourceItem = { record: RawIngestRecord } | { problem: InputProblem };

/** One value of an in-memory row: what code that computes features hands to ingestion. */
export interface FeatureValueInput {
  readonly feature: string;
  readonly entity: string | number;
  readonly timestamp: Date | string;
  readonly value: number;
  readonly available_at?: Date | string | null;
  readonly external_source?: string;
  readonly external_reference_id?: string | null;
  readonly metadata?: Record<string, unknown> | null;
}

const KNOWN = new Set<string>(INGEST_COLUMNS);

/** The format of an ingest file, from its extension. */
export function formatOf(file: string): 'csv' | 'ndjson' {
  const ext = path.extname(file).toLowerCase();
  return ext === '.ndjson' || ext === '.jsonl' ? 'ndjson' : 'csv';
}

/**
 * Streams a CSV file as records: a header row naming the columns (any order; BOM and
 * CRLF accepted; the four required columns must be there, unknown columns are an error
 * so a typo is not silently dropped), then one record per row with its physical line.
 */
export async function* readCsvRecords(file: string): AsyncGenerator<SourceItem> {
  // Line numbers are counted here rather than with csv-parse's `info` option, which costs
  // ~40% of the parse: each record spans one line plus the newlines quoted inside it.
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  let header: string[] | undefined;
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line += 1;
      const start = line;
      for (const field of record) if (field.includes('\n')) line += field.split('\n').length - 1;
      if (record.length === 1 && record[0] === '') continue;
      if (!header) {
        header = record.map((h) => h.trim().toLowerCase());
        const problems = headerProblems(file, header);
        for (const problem of problems) yield { problem };
        if (problems.length) return;
        continue;
      }
      if (record.length !== header.length) {
        yield {
          problem: {
            file,
            line: start,
            column: '(row)',
            value: record.join(',').slice(0, 80),
            reason: `has ${record.length} fields, the header has ${header.length}`,
          },
        };
        continue;
      }
      const fields: Partial<Record<IngestColumn, string>> = {};
      for (let i = 0; i < header.length; i++) fields[header[i] as IngestColumn] = record[i];
      yield { record: { line: start, fields } };
    }
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    yield {
      problem: { file, line: e.lines ?? line + 1, column: '(file)', value: '', reason: `malformed CSV: ${e.message ?? String(error)}` },
    };
    return;
  }
  if (!header) yield { problem: { file, line: 1, column: '(header)', value: '', reason: 'the file is empty' } };
}

function headerProblems(file: string, header: readonly string[]): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const h of header) {
    if (!KNOWN.has(h)) {
      problems.push({ file, line: 1, column: h, value: h, reason: `unknown column (expected: ${INGEST_COLUMNS.join(', ')})` });
    }
  }
  for (const required of REQUIRED_INGEST_COLUMNS) {
    if (!header.includes(required)) {
      problems.push({ file, line: 1, column: required, value: '', reason: 'required column is missing' });
    }
  }
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) problems.push({ file, line: 1, column: h, value: h, reason: 'column appears twice' });
    seen.add(h);
  }
  return problems;
}

function fieldText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function objectToRecord(file: string, line: number, value: unknown): SourceItem {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { problem: { file, line, column: '(row)', value: String(value).slice(0, 80), reason: 'not a JSON object' } };
  }
  const fields: Partial<Record<IngestColumn, string>> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!KNOWN.has(key)) {
      return { problem: { file, line, column: key, value: String(v).slice(0, 80), reason: 'unknown field' } };
    }
    const text = fieldText(v);
    if (text !== undefined) fields[key as IngestColumn] = text;
  }
  return { record: { line, fields } };
}

/** Streams an NDJSON file: one JSON object per line (blank lines skipped). */
export async function* readNdjsonRecords(file: string): AsyncGenerator<SourceItem> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n += 1;
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { problem: { file, line: n, column: '(row)', value: text.slice(0, 80), reason: `invalid JSON: ${(error as Error).message}` } };
      continue;
    }
    yield objectToRecord(file, n, value);
  }
}

/** Adapts in-memory values (the compute path) to records numbered from 1. */
export async function* iterableRecords(
  source: string,
  values: Iterable<FeatureValueInput> | AsyncIterable<FeatureValueInput>,
): AsyncGenerator<SourceItem> {
  let n = 0;
  for await (const value of values) {
    n += 1;
    yield objectToRecord(source, n, value);
  }
}

/** Records of a file, by its extension. */
export function readFileRecords(file: string): AsyncGenerator<SourceItem> {
  return formatOf(file) === 'ndjson' ? readNdjsonRecords(file) : readCsvRecords(file);
}
