import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ConfidenceLevel, ContractSide, RecommendedAction } from './check-values.js';
import type { Decimal, ReadonlyView } from './column-types.js';
import type { NullableJson } from './json.js';
import type { Scd2Table } from './scd2-columns.js';

/** The versioned columns of `edges` (spec §8). */
export interface EdgeColumns {
  /** Business key, reused while the (market, side, model, strategy) opportunity lasts. */
  edge_id: string;
  /** UUID of the detection run that produced this version. */
  calculation_run_id: string;
  market_id: string;
  /** The market version priced against (`markets.id`). */
  market_row_id: number;
  game_state_row_id: number | null;
  model_id: number;
  /** `model_training_runs.run_id` (foreign key added by migration 0002). */
  training_run_id: number | null;
  strategy_id: number | null;
  side: ContractSide;
  true_win_probability: Decimal;
  market_implied_probability: Decimal;
  market_price: Decimal;
  /** EV per contract, in [-1, 1]. */
  expected_value: Decimal;
  confidence_level: ConfidenceLevel | null;
  confidence_metrics: NullableJson;
  recommended_action: RecommendedAction | null;
}

/** `edges` (SCD2, business key `edge_id`): model probability against market price. */
export interface EdgesTable extends Scd2Table<EdgeColumns> {}

export type Edge = Selectable<EdgesTable>;
export type NewEdge = Insertable<EdgesTable>;
/** Only the close-out (`row_current_ind: false`, `row_end_ts`) can be updated. */
export type EdgeUpdate = Updateable<EdgesTable>;

/** `current_edges`: the current version of every edge, unfiltered. */
export interface CurrentEdgesView extends ReadonlyView<EdgesTable> {}
