import { z } from 'zod';
import { inTransaction } from '../../db/scd2.js';
import { EXIT_CONDITIONS, EXIT_ORDER_TYPES, EXIT_PRIORITIES } from '../../db/tables/check-values.js';
import type { ExitAttempt } from '../../db/tables/exit-attempts.table.js';
import { PROBABILITY, decimalSchema } from './decimal.js';
import { guardedWrite, type Executor } from './executor.js';
import { integer, keyText, oneOf, parseInput, rowId, text } from './input.js';
import { resolvePositionVersion } from './position-versions.js';

/** One order attempt while walking an exit price (spec §13), written once its outcome is known. */
export const ExitAttemptInputSchema = z
  .object({
    position_id: text(50),
    /** Default: the position's current version; when given it must be a version of position_id. */
    position_row_id: rowId.optional(),
    /** Null when the attempt never reached the platform. */
    order_id: text(100).nullable().optional(),
    exit_condition: oneOf(EXIT_CONDITIONS),
    priority_level: oneOf(EXIT_PRIORITIES),
    order_type: oneOf(EXIT_ORDER_TYPES),
    limit_price: decimalSchema(PROBABILITY).nullable().optional(),
    fill_price: decimalSchema(PROBABILITY).nullable().optional(),
    quantity: integer(1),
    attempt_number: integer(1),
    timeout_seconds: integer(1).nullable().optional(),
    success: z.boolean({ error: 'must be true or false' }),
  })
  .strict()
  .superRefine((value, ctx) => {
    const hasLimit = value.limit_price !== null && value.limit_price !== undefined;
    if ((value.order_type === 'limit') !== hasLimit) {
      ctx.addIssue({ code: 'custom', path: ['limit_price'], message: 'must be set exactly for limit orders' });
    }
    if (value.success && !value.order_id) {
      ctx.addIssue({ code: 'custom', path: ['order_id'], message: 'is required for a successful attempt' });
    }
    if (value.success && (value.fill_price === null || value.fill_price === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['fill_price'], message: 'is required for a successful attempt' });
    }
  });
export type ExitAttemptInput = z.input<typeof ExitAttemptInputSchema>;

/**
 * Appends one exit attempt (append-only: never updated or deleted). Rules checked before
 * the database is touched: prices in [0, 1], quantity, attempt number and timeout > 0,
 * enumerations in their CHECK lists, `limit_price` set exactly for limit orders, a
 * successful attempt has an `order_id` and a `fill_price`. `order_id` is a soft link: a
 * cancelled order has an id but no trade. The position version defaults to the current one.
 */
export async function recordExitAttempt(db: Executor, input: ExitAttemptInput): Promise<ExitAttempt> {
  const key = keyText(['position_id'], input);
  const parsed = parseInput(ExitAttemptInputSchema, input, 'exit_attempts', key);
  return guardedWrite(`exit_attempts ${key}`, () =>
    inTransaction(db, async (trx) => {
      const version = await resolvePositionVersion(trx, parsed.position_id, parsed.position_row_id, {
        table: 'exit_attempts',
        key,
      });
      return trx
        .insertInto('exit_attempts')
        .values({ ...parsed, position_row_id: version.id })
        .returningAll()
        .executeTakeFirstOrThrow();
    }),
  );
}

/** The exit attempts of a position, oldest first. */
export async function listExitAttempts(db: Executor, positionId: string): Promise<ExitAttempt[]> {
  return db
    .selectFrom('exit_attempts')
    .selectAll()
    .where('position_id', '=', positionId)
    .orderBy('created_at')
    .orderBy('attempt_id')
    .execute();
}
