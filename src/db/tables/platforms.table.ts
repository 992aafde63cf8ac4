import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AuthMethod, PlatformStatus, PlatformType } from './check-values.js';
import type { CreatedAt, WithDefault } from './column-types.js';
import type { NullableJson } from './json.js';

/** `platforms` (spec §1): venues and data sources, keyed by a short code such as `kalshi`. */
export interface PlatformsTable {
  platform_id: string;
  platform_type: PlatformType;
  display_name: string;
  base_url: string | null;
  websocket_url: string | null;
  api_version: string | null;
  auth_method: AuthMethod | null;
  fees_structure: NullableJson;
  status: WithDefault<PlatformStatus>;
  created_at: CreatedAt;
}

export type Platform = Selectable<PlatformsTable>;
export type NewPlatform = Insertable<PlatformsTable>;
export type PlatformUpdate = Updateable<PlatformsTable>;
