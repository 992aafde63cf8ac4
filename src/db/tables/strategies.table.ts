import type { Insertable, Selectable, Updateable } from 'kysely';
import type { StrategyApproach, StrategyStatus } from './check-values.js';
import type { CreatedAt, Frozen, Identity, NullableTimestamp, WithDefault } from './column-types.js';
import type { Json } from './json.js';

/**
 * `strategies` (spec §7): one immutable trading-rule version. Name, version, approach,
 * domain and config are frozen (a trigger rejects changes); lifecycle columns stay mutable.
 */
export interface StrategiesTable {
  strategy_id: Identity;
  strategy_name: Frozen<string>;
  strategy_version: Frozen<string>;
  /** Target platform; null = any. */
  platform_id: string | null;
  approach: Frozen<StrategyApproach>;
  domain: Frozen<string | null>;
  config: Frozen<Json>;
  status: WithDefault<StrategyStatus>;
  activated_at: NullableTimestamp;
  deactivated_at: NullableTimestamp;
  description: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export type Strategy = Selectable<StrategiesTable>;
export type NewStrategy = Insertable<StrategiesTable>;
export type StrategyUpdate = Updateable<StrategiesTable>;
