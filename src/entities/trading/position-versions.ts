import { InvalidTradingInputError } from './errors.js';
import type { Executor } from './executor.js';

/** Where a child row is being written, for messages: its table, key and the field at fault. */
export interface ReferenceContext {
  readonly table: string;
  readonly key: string;
}

/**
 * The position version a child row (trade, exit attempt) should point at: `positionRowId`
 * when given — it must be a version of `positionId` when that is given too — otherwise the
 * current version of `positionId`. InvalidTradingInputError naming `position_row_id` or
 * `position_id` when there is no such version.
 */
export async function resolvePositionVersion(
  db: Executor,
  positionId: string | undefined,
  positionRowId: number | undefined,
  context: ReferenceContext,
): Promise<{ id: number; position_id: string }> {
  if (positionRowId === undefined) {
    const current = positionId
      ? await db
          .selectFrom('positions')
          .select(['id', 'position_id'])
          .where('position_id', '=', positionId)
          .where('row_current_ind', '=', true)
          .executeTakeFirst()
      : undefined;
    if (!current) {
      throw new InvalidTradingInputError(context.table, context.key, [
        { field: 'position_id', value: positionId, reason: 'has no current position version' },
      ]);
    }
    return current;
  }
  const row = await db
    .selectFrom('positions')
    .select(['id', 'position_id'])
    .where('id', '=', positionRowId)
    .executeTakeFirst();
  if (!row || (positionId !== undefined && row.position_id !== positionId)) {
    const reason = row ? `is a version of position ${row.position_id}, not ${positionId}` : 'is not a position version';
    throw new InvalidTradingInputError(context.table, context.key, [
      { field: 'position_row_id', value: positionRowId, reason },
    ]);
  }
  return row;
}
