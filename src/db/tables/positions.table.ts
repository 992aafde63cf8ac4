import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { ContractSide, ExecutionEnvironment, ExitCondition, ExitPriority, PositionStatus } from './check-values.js';
import type { Decimal, NullableTimestamp, ReadonlyView, Timestamp, WithDefault } from './column-types.js';
import type { NullableJson } from './json.js';
import type { Scd2Table } from './scd2-columns.js';

/** The versioned columns of `positions` (spec §10). */
export interface PositionColumns {
  /** Business key (`POS-<n>`). */
  position_id: string;
  /** `trades.order_id` of the opening order (checked at commit). */
  initial_order_id: string | null;
  platform_id: string;
  market_id: string;
  market_row_id: number;
  strategy_id: number | null;
  model_id: number | null;
  side: ContractSide;
  quantity: number;
  entry_price: Decimal;
  current_price: Decimal | null;
  target_price: Decimal | null;
  stop_loss_price: Decimal | null;
  /** `{active, activation_price, peak_price, current_stop_price, current_distance}`. */
  trailing_stop_state: NullableJson;
  exit_price: Decimal | null;
  fees: Decimal | null;
  unrealized_pnl: Decimal | null;
  realized_pnl: Decimal | null;
  /** DECIMAL(6,4): 0.1234 = 12.34%. */
  unrealized_pnl_pct: Decimal | null;
  status: WithDefault<PositionStatus>;
  exit_reason: ExitCondition | null;
  exit_priority: ExitPriority | null;
  entry_time: Timestamp;
  exit_time: NullableTimestamp;
  /** Monitoring heartbeat: the one column updated in place on the current version. */
  last_check_time: NullableTimestamp;
  calculated_probability: Decimal | null;
  market_price_at_entry: Decimal | null;
  edge_at_entry: Decimal | null;
  execution_environment: WithDefault<ExecutionEnvironment>;
  position_metadata: NullableJson;
}

/** `positions` (SCD2, business key `position_id`): what we hold in one market. */
export interface PositionsTable extends Scd2Table<PositionColumns, 'last_check_time'> {}

export type Position = Selectable<PositionsTable>;
export type NewPosition = Insertable<PositionsTable>;
/** The close-out (`row_current_ind: false`, `row_end_ts`) and `last_check_time`. */
export type PositionUpdate = Updateable<PositionsTable>;

/** `open_positions`: current versions with `status = 'open'`. */
export interface OpenPositionsView extends ReadonlyView<PositionsTable> {}

/** `positions_urgent_monitoring`: every open position, with `is_urgent` (spec §15). */
export interface PositionsUrgentMonitoringView extends ReadonlyView<PositionsTable> {
  is_urgent: ColumnType<boolean, never, never>;
}

export type UrgentMonitoringPosition = Selectable<PositionsUrgentMonitoringView>;
