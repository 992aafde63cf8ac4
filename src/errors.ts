/**
 * The one base class of every error Precog raises on purpose.
 *
 * `code` is a literal per error class so callers (and the CLI, which maps codes to exit
 * statuses) can switch on it; `facts` carries the structured context — table, key, file,
 * line, column, value — so a message is never the only place the facts live.
 */
export abstract class PrecogError extends Error {
  abstract readonly code: string;
  readonly facts: Readonly<Record<string, unknown>>;

  constructor(message: string, facts: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.facts = Object.freeze({ ...facts });
  }
}

/** One problem found in an input file: where it is and what is wrong with it. */
export interface InputProblem {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly value: string;
  readonly reason: string;
}

/** How many problems an input error lists before it stops counting. */
export const MAX_REPORTED_PROBLEMS = 20;

/** Formats one problem as `file:line column "value": reason`. */
export function formatProblem(p: InputProblem): string {
  const shown = p.value.length > 60 ? `${p.value.slice(0, 57)}...` : p.value;
  return `${p.file}:${p.line} ${p.column} ${JSON.stringify(shown)}: ${p.reason}`;
}

/**
 * A whole input (file or iterable) was rejected; nothing from it was written.
 * Lists up to {@link MAX_REPORTED_PROBLEMS} problems; `total` counts all of them.
 */
export class InvalidInputError extends PrecogError {
  readonly code = 'INVALID_INPUT' as const;
  readonly problems: readonly InputProblem[];
  readonly total: number;

  constructor(source: string, problems: readonly InputProblem[], total = problems.length) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    const more = total > shown.length ? `\n  … and ${total - shown.length} more` : '';
    super(
      `${source}: rejected, ${total} problem${total === 1 ? '' : 's'}; nothing was written\n` +
        shown.map((p) => `  ${formatProblem(p)}`).join('\n') +
        more,
      { source, total },
    );
    this.problems = shown;
    this.total = total;
  }
}

/**
 * A bad value in a column or option of in-memory input (not a file): `field` names it,
 * `index` the first bad position when there is one. Areas subclass it with their own code.
 */
export abstract class FieldValueError extends PrecogError {
  readonly field: string;
  readonly index: number | null;
  readonly value: unknown;

  constructor(field: string, index: number | null, value: unknown, reason: string) {
    const where = index === null ? field : `${field}[${index}]`;
    super(`${where}${value === undefined ? '' : ` ${String(value)}`}: ${reason}`, { field, index, value, reason });
    this.field = field;
    this.index = index;
    this.value = value;
  }
}
