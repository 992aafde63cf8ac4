import { z } from 'zod';

/**
 * Zod schemas for single CSV fields: each takes the raw text of one cell and yields a typed
 * value, with a message that says what the cell should have held.
 */

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** An integer in `[min, max]`, surrounding blanks allowed. */
export function integerField(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .trim()
    .regex(INTEGER, { message: 'not an integer' })
    .transform(Number)
    .pipe(z.number().min(min, { message: `below ${min}` }).max(max, { message: `above ${max}` }));
}

/** A finite decimal number in `[min, max]`, surrounding blanks allowed. */
export function numberField(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .trim()
    .regex(DECIMAL, { message: 'not a number' })
    .transform(Number)
    .pipe(z.number().min(min, { message: `below ${min}` }).max(max, { message: `above ${max}` }));
}

/** One of two tokens (e.g. `1`/`0`, `TRUE`/`FALSE`), as a boolean. */
export function flagField(yes: string, no: string): z.ZodType<boolean, string> {
  return z
    .string()
    .trim()
    .refine((s) => s === yes || s === no, { message: `expected ${yes} or ${no}` })
    .transform((s) => s === yes);
}

/** A text converted by `convert`, rejected with `message` when `convert` returns `undefined`. */
export function convertedField<T>(convert: (text: string) => T | undefined, message: string): z.ZodType<T, string> {
  return z.string().transform((text, ctx) => {
    const value = convert(text.trim());
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return value;
  });
}

/** `field`, or `null` for an empty (or all-blank) cell. */
export function nullableField<T>(field: z.ZodType<T, string>): z.ZodType<T | null, string> {
  return z.string().transform((text, ctx): T | null => {
    const trimmed = text.trim();
    if (trimmed === '') return null;
    const parsed = field.safeParse(trimmed);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  });
}
