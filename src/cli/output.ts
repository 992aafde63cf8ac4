import fs from 'node:fs';
import { PrecogError } from '../errors.js';

/** Exit statuses: 0 ok, 1 the work failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Writes a machine-readable result (one JSON document) to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes human-readable lines to stdout. */
export function printLines(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Formats rows as an aligned plain-text table. */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** A usage error raised by our own argument checks (exit 2). */
export class UsageError extends PrecogError {
  readonly code = 'USAGE' as const;
}

/** An input file the command was given is not there: a failure of the work (exit 1), not of the command line. */
export class InputFileMissingError extends PrecogError {
  readonly code = 'INPUT_FILE_MISSING' as const;
}

/** Refuses a path that does not exist or is a directory, naming it (a named pipe is input too). */
export function requireInputFile(file: string, what = ''): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat || stat.isDirectory()) {
    throw new InputFileMissingError(`${file}: no such ${what ? `${what} ` : ''}file`, { file });
  }
}

/** The command ran and reported, but its verdict is a failure (exit 1). */
export class CommandFailedError extends PrecogError {
  readonly code = 'COMMAND_FAILED' as const;
}

/**
 * Reports an error as one clear line on stderr (the stack only with --debug) and returns
 * the exit status to use.
 */
/** Something thrown that is not an Error, in one readable line (never `[object Object]`). */
function describeThrown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return `unexpected failure: ${text.replace(/\s+/g, ' ').slice(0, 500)}`;
}

export function reportError(error: unknown, debug: boolean): number {
  if (debug && error instanceof Error) process.stderr.write(`${error.stack ?? error.message}\n`);
  const message = error instanceof Error ? error.message : describeThrown(error);
  process.stderr.write(`precog: ${message}\n`);
  return error instanceof UsageError ? EXIT.usage : EXIT.failure;
}
