import type { Insertable, Selectable } from 'kysely';
import type { SettlementMethod } from './check-values.js';
import type { AppendOnlyTable, CreatedAt, Decimal, Identity, NullableTimestamp, WithDefault } from './column-types.js';
import type { NullableJson } from './json.js';

/** The columns of `settlements` (spec §11). */
export interface SettlementColumns {
  settlement_id: Identity;
  platform_id: string;
  /** One settlement per market. */
  market_id: string;
  /** The market version that carried the settled status. */
  market_row_id: number;
  outcome: string;
  /** Value per YES contract, in [0, 1]. */
  payout: Decimal | null;
  external_settlement_id: string | null;
  settlement_timestamp: NullableTimestamp;
  /** Raw platform payload; required (with the two above) for `'api_sourced'`. */
  api_response: NullableJson;
  calculation_method: WithDefault<SettlementMethod>;
  created_at: CreatedAt;
}

/** `settlements` (append-only): the platform's official result for a market. */
export interface SettlementsTable extends AppendOnlyTable<SettlementColumns> {}

export type Settlement = Selectable<SettlementsTable>;
export type NewSettlement = Insertable<SettlementsTable>;
