import { z } from 'zod';
import { InvalidTradingInputError, type FieldProblem } from './errors.js';

/**
 * The field schemas every trading input is built from, and {@link parseInput}, which turns
 * a zod failure into an {@link InvalidTradingInputError} naming table, key and fields.
 */

/** Non-empty text of at most `max` characters (a VARCHAR(max) column). */
export function text(max: number) {
  return z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
}

/** A PostgreSQL INTEGER in `[min, 2^31 - 1]`. */
export function integer(min: number) {
  return z
    .number()
    .int('must be a whole number')
    .min(min, min === 1 ? 'must be > 0' : `must be >= ${min}`)
    .max(2_147_483_647, 'must fit in a 32-bit integer');
}

/** A SMALLINT >= 0. */
export const smallCount = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be >= 0')
  .max(32_767, 'must be <= 32767');

/** A surrogate key of another row (identity column): a positive whole number. */
export const rowId = z
  .number()
  .int('must be a whole number')
  .positive('must be a positive id')
  .max(Number.MAX_SAFE_INTEGER);

/** A TIMESTAMPTZ: a valid Date, or ISO-8601 text with a zone (`Z` or `+hh:mm`). */
export const timestamp = z
  .union([
    z.date({ error: 'must be a valid date' }),
    z.iso.datetime({ offset: true, error: 'must be an ISO-8601 timestamp with a time zone' }),
  ])
  .transform((value) => (value instanceof Date ? value : new Date(value)));

/** A DATE as `YYYY-MM-DD`. */
export const calendarDate = z.iso.date({ error: 'must be a date in YYYY-MM-DD form' });

/** A JSONB column holding an object; stored as JSON text (see `src/db/tables/json.ts`). */
export const jsonObject = z
  .record(z.string(), z.json(), { error: 'must be a JSON object' })
  .transform((value) => JSON.stringify(value));

/** A JSONB column holding any JSON value; stored as JSON text. */
export const jsonValue = z.json({ error: 'must be a JSON value' }).transform((value) => JSON.stringify(value));

/** One of a closed set (an `as const` list of check-values.ts). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `market_id=M1` or `platform_id=espn, external_game_id=401` from a (possibly invalid)
 * input: the key the caller meant, for messages.
 */
export function keyText(columns: readonly string[], input: unknown): string {
  const source = isRecord(input) ? input : {};
  return columns
    .map((column) => {
      const value = source[column];
      return `${column}=${value === undefined || value === null ? '(none)' : String(value)}`;
    })
    .join(', ');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const step of path) {
    if (!isRecord(value)) return undefined;
    value = value[String(step)];
  }
  return value;
}

function problemsOf(error: z.ZodError, input: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const reason = 'is not a field accepted here';
        problems.push({ field: path.map(String).join('.'), value: valueAt(input, path), reason });
      }
      continue;
    }
    problems.push({ field: field || '(input)', value: valueAt(input, issue.path), reason: issue.message });
  }
  return problems;
}

/**
 * Validates `input` against `schema`. On failure throws an {@link InvalidTradingInputError}
 * listing every failing field with its value and rule, prefixed by the table and key;
 * nothing has touched the database at that point.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, table: string, key: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidTradingInputError(table, key, problemsOf(result.error, input));
}

/** Drops keys whose value is undefined (omitted = unchanged in an SCD2 change set). */
export function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value) as [keyof T, T[keyof T]][]) if (v !== undefined) out[k] = v;
  return out;
}
