import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { formatProblem, type InputProblem } from '../../errors.js';
import type { RejectedRow } from '../../entities/nfl/csv-table.js';

/** The two columns appended to a rejected row: its line in the input and why it was rejected. */
export const REJECTED_COLUMNS = ['rejected_line', 'rejected_reasons'] as const;

/** Where the rejected rows of `input` are written: `<input>.rejected.csv`, beside it. */
export function rejectedFileFor(input: string): string {
  return `${input}.rejected.csv`;
}

/** `{record, info}` items of csv-parse with `info: true`, checked once. */
function parsedLines(text: string): { fields: string[]; line: number }[] {
  const items = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown[];
  return items.map((item) => {
    const { record, info } = item as { record: string[]; info: { lines: number } };
    // A quoted field spanning lines is reported where its row starts, as the readers do.
    const newlines = record.reduce((n, f) => n + (f.split('\n').length - 1), 0);
    return { fields: record, line: info.lines - newlines };
  });
}

/**
 * Writes the rejected rows of `input` to `<input>.rejected.csv`: the input's header and each
 * rejected row as it was, plus `rejected_line` (its line in the input) and
 * `rejected_reasons` (every problem, `file:line column "value": reason`, joined by ` | `),
 * in line order. Fix the rows, drop the two columns and import the file again. Returns the
 * path written.
 */
export function writeRejectedRowsCsv(input: string, rejected: readonly RejectedRow[]): string {
  const lines = parsedLines(fs.readFileSync(input, 'utf8'));
  const header = lines[0]?.fields ?? [];
  const byLine = new Map(lines.slice(1).map((l) => [l.line, l.fields]));
  const records = [...rejected]
    .sort((a, b) => a.line - b.line)
    .map((row) => [
      ...(byLine.get(row.line) ?? []).slice(0, header.length),
      ...Array<string>(Math.max(0, header.length - (byLine.get(row.line)?.length ?? 0))).fill(''),
      String(row.line),
      row.problems.map(formatProblem).join(' | '),
    ]);
  const file = rejectedFileFor(input);
  fs.writeFileSync(file, stringify([[...header, ...REJECTED_COLUMNS], ...records]));
  return file;
}

/** Groups problems found after parsing (duplicates, …) into rejected rows, one per line. */
export function rejectedRowsOf(problems: readonly InputProblem[]): RejectedRow[] {
  const byLine = new Map<number, InputProblem[]>();
  for (const p of problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  return [...byLine].map(([line, ps]) => ({ line, problems: ps }));
}
