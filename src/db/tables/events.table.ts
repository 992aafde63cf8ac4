import type { Insertable, Selectable, Updateable } from 'kysely';
import type { EventStatus, MarketCategory, Sport } from './check-values.js';
import type { CreatedAt, NullableTimestamp, TimestampWithDefault } from './column-types.js';
import type { NullableJson } from './json.js';

/**
 * `events` (spec §3): one real-world occurrence (a game), updated in place. The typed game
 * columns (`sport` … `away_score`) are our addition for the sports importers; they are
 * null for non-sports events. `updated_at` is bumped by a trigger when a row changes,
 * unless the update sets it.
 */
export interface EventsTable {
  event_id: string;
  platform_id: string;
  series_id: string | null;
  external_id: string;
  category: MarketCategory;
  subcategory: string | null;
  title: string;
  description: string | null;
  start_time: NullableTimestamp;
  end_time: NullableTimestamp;
  status: EventStatus | null;
  home_team_id: number | null;
  away_team_id: number | null;
  sport: Sport | null;
  season: number | null;
  /** `'1'`…`'18'` or a playoff round name. */
  week: string | null;
  is_playoff: boolean | null;
  is_neutral_site: boolean | null;
  /** Final score; live scores are in `game_states`. */
  home_score: number | null;
  away_score: number | null;
  result: NullableJson;
  metadata: NullableJson;
  created_at: CreatedAt;
  updated_at: TimestampWithDefault;
}

export type Event = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
export type EventUpdate = Updateable<EventsTable>;
