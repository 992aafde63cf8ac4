import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** `features_historical`: append-only, bitemporal feature values plus the record clock. */
export interface FeaturesHistoricalTable {
  id: Generated<number>;
  feature_id: number;
  entity_type: string;
  team_id: number | null;
  player_id: number | null;
  event_id: string | null;
  market_id: string | null;
  entity_key: ColumnType<string, never, never>;
  timestamp: ColumnType<Date, Date | string, never>;
  available_at: ColumnType<Date, Date | string | undefined, never>;
  feature_value: number;
  external_source: string;
  external_reference_id: string | null;
  metadata: ColumnType<unknown, string | null | undefined, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  /** When the database recorded the row (migration 0005): never input, what cutoffs filter on. */
  recorded_at: ColumnType<Date, never, never>;
}
export type FeatureValueRow = Selectable<FeaturesHistoricalTable>;
export type NewFeatureValueRow = Insertable<FeaturesHistoricalTable>;
