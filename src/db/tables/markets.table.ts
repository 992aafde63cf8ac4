import type { Insertable, Selectable, Updateable } from 'kysely';
import type { MarketStatus, MarketType } from './check-values.js';
import type { Decimal, ReadonlyView } from './column-types.js';
import type { NullableJson } from './json.js';
import type { Scd2Table } from './scd2-columns.js';

/** The versioned columns of `markets` (spec §4). Prices are probabilities in [0, 1]. */
export interface MarketColumns {
  /** Business key. */
  market_id: string;
  platform_id: string;
  event_id: string;
  external_id: string;
  ticker: string | null;
  title: string;
  market_type: MarketType;
  yes_price: Decimal | null;
  no_price: Decimal | null;
  spread: Decimal | null;
  volume: number | null;
  open_interest: number | null;
  status: MarketStatus;
  /** Required once `status` is `'settled'`. */
  settlement_value: Decimal | null;
  metadata: NullableJson;
}

/** `markets` (SCD2, business key `market_id`): one row per version of a tradable contract. */
export interface MarketsTable extends Scd2Table<MarketColumns> {}

export type Market = Selectable<MarketsTable>;
export type NewMarket = Insertable<MarketsTable>;
/** Only the close-out (`row_current_ind: false`, `row_end_ts`) can be updated. */
export type MarketUpdate = Updateable<MarketsTable>;

/** `current_markets`: the current version of every market, any status. */
export interface CurrentMarketsView extends ReadonlyView<MarketsTable> {}
