import type { Insertable, Selectable } from 'kysely';
import type { ExitCondition, ExitPriority } from './check-values.js';
import type { AppendOnlyTable, CreatedAt, Decimal, Identity } from './column-types.js';

/** The columns of `position_exits` (spec §12). */
export interface PositionExitColumns {
  exit_id: Identity;
  position_id: string;
  /** The position version just before the exit. */
  position_row_id: number;
  /** The sell trade; unique. */
  exit_trade_id: number;
  exit_condition: ExitCondition;
  exit_priority: ExitPriority;
  quantity_exited: number;
  exit_price: Decimal;
  unrealized_pnl_at_exit: Decimal | null;
  created_at: CreatedAt;
}

/** `position_exits` (append-only): one row per executed exit, full or partial. */
export interface PositionExitsTable extends AppendOnlyTable<PositionExitColumns> {}

export type PositionExit = Selectable<PositionExitsTable>;
export type NewPositionExit = Insertable<PositionExitsTable>;
