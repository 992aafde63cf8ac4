import type { z } from 'zod';
import { UiBadRequestError } from './errors.js';

/**
 * Validates one part of a request (`what`: "query string", "run id", …) against `schema`.
 * A failure is a UiBadRequestError whose message names each bad field and why, e.g.
 * `query string: sort: Invalid option: expected one of "run_id"|"brier"`.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new UiBadRequestError(`${what}: ${details}`, { what });
}
