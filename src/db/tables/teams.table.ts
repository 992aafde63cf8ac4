import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Sport } from './check-values.js';
import type { CreatedAt, Identity, WithDefault } from './column-types.js';
import type { JsonObjectWithDefault } from './json.js';

/**
 * `teams`: one franchise or program per sport, unique by `(sport, code)`. `aliases` holds
 * former or alternative codes and names for matching historical data; `external_ids` maps
 * a source to its id, e.g. `{"espn": "12"}`.
 */
export interface TeamsTable {
  team_id: Identity;
  sport: Sport;
  code: string;
  name: string;
  conference: string | null;
  division: string | null;
  active: WithDefault<boolean>;
  aliases: WithDefault<string[]>;
  external_ids: JsonObjectWithDefault;
  created_at: CreatedAt;
}

export type Team = Selectable<TeamsTable>;
export type NewTeam = Insertable<TeamsTable>;
export type TeamUpdate = Updateable<TeamsTable>;
