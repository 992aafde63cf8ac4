import type { Insertable, Selectable } from 'kysely';
import type { ExitCondition, ExitOrderType, ExitPriority } from './check-values.js';
import type { AppendOnlyTable, CreatedAt, Decimal, Identity } from './column-types.js';

/** The columns of `exit_attempts` (spec §13). */
export interface ExitAttemptColumns {
  attempt_id: Identity;
  position_id: string;
  position_row_id: number;
  /** Soft link to `trades.order_id`; null when the attempt never reached the API. */
  order_id: string | null;
  exit_condition: ExitCondition;
  priority_level: ExitPriority;
  order_type: ExitOrderType;
  /** Set exactly when `order_type` is `'limit'`. */
  limit_price: Decimal | null;
  fill_price: Decimal | null;
  quantity: number;
  /** 1 = first try, 2+ = price walks. */
  attempt_number: number;
  timeout_seconds: number | null;
  /** A successful attempt has an `order_id` and a `fill_price`. */
  success: boolean;
  created_at: CreatedAt;
}

/** `exit_attempts` (append-only): every order attempt while walking an exit price. */
export interface ExitAttemptsTable extends AppendOnlyTable<ExitAttemptColumns> {}

export type ExitAttempt = Selectable<ExitAttemptsTable>;
export type NewExitAttempt = Insertable<ExitAttemptsTable>;
