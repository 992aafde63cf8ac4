import type { Insertable, Selectable, Updateable } from 'kysely';
import type { MarketCategory, SeriesFrequency } from './check-values.js';
import type { CreatedAt, TimestampWithDefault } from './column-types.js';
import type { NullableJson } from './json.js';

/**
 * `series` (spec §2): a recurring group of events on one platform, updated in place.
 * `updated_at` is bumped by a trigger when a row changes, unless the update sets it.
 */
export interface SeriesTable {
  series_id: string;
  platform_id: string;
  external_id: string;
  category: MarketCategory;
  subcategory: string | null;
  title: string;
  frequency: SeriesFrequency | null;
  metadata: NullableJson;
  created_at: CreatedAt;
  updated_at: TimestampWithDefault;
}

export type Series = Selectable<SeriesTable>;
export type NewSeries = Insertable<SeriesTable>;
export type SeriesUpdate = Updateable<SeriesTable>;
