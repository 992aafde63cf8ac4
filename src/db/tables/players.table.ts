import type { Insertable, Selectable, Updateable } from 'kysely';
import type { PlayerStatus } from './check-values.js';
import type { CreatedAt, Identity, WithDefault } from './column-types.js';
import type { JsonObjectWithDefault } from './json.js';

/**
 * `players`: `external_id` is the unique ingestion key (prefix it with the source when
 * sources can collide, e.g. `espn:3139477`); `external_ids` keeps every source's id;
 * `team_id` is the current team, null for free agents.
 */
export interface PlayersTable {
  player_id: Identity;
  team_id: number | null;
  name: string;
  position: string | null;
  external_id: string;
  external_ids: JsonObjectWithDefault;
  status: WithDefault<PlayerStatus>;
  created_at: CreatedAt;
}

export type Player = Selectable<PlayersTable>;
export type NewPlayer = Insertable<PlayersTable>;
export type PlayerUpdate = Updateable<PlayersTable>;
