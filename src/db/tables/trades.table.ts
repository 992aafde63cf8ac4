import type { Insertable, Selectable } from 'kysely';
import type {
  ConfidenceLevel,
  ContractSide,
  ExecutionEnvironment,
  TradeOrderType,
  TradeSide,
  TradeSource,
} from './check-values.js';
import type { AppendOnlyTable, CreatedAt, Decimal, Identity, TimestampWithDefault, WithDefault } from './column-types.js';
import type { NullableJson } from './json.js';

/** The columns of `trades` (spec §9). */
export interface TradeColumns {
  trade_id: Identity;
  /** The platform's order id; null only for backtest trades. */
  order_id: string | null;
  platform_id: string;
  market_id: string;
  market_row_id: number;
  position_id: string | null;
  position_row_id: number | null;
  edge_row_id: number | null;
  strategy_id: number | null;
  model_id: number | null;
  side: TradeSide;
  contract_side: ContractSide;
  order_type: WithDefault<TradeOrderType>;
  /** Average fill price. */
  price: Decimal;
  quantity: number;
  fees: Decimal | null;
  execution_time: TimestampWithDefault;
  calculated_probability: Decimal | null;
  market_price: Decimal | null;
  edge_at_execution: Decimal | null;
  confidence_at_execution: ConfidenceLevel | null;
  trade_source: WithDefault<TradeSource>;
  execution_environment: WithDefault<ExecutionEnvironment>;
  trade_metadata: NullableJson;
  created_at: CreatedAt;
}

/** `trades` (append-only): one row per executed order. */
export interface TradesTable extends AppendOnlyTable<TradeColumns> {}

export type Trade = Selectable<TradesTable>;
export type NewTrade = Insertable<TradesTable>;
