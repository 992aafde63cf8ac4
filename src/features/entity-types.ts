import { z } from 'zod';

/** The kinds of entity a feature can describe; each maps to one FK of features_historical. */
export const ENTITY_TYPES = ['team', 'player', 'event', 'market'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
export const EntityTypeSchema = z.enum(ENTITY_TYPES);

/** The features_historical column holding each kind's key. */
export const ENTITY_COLUMN = {
  team: 'team_id',
  player: 'player_id',
  event: 'event_id',
  market: 'market_id',
} as const satisfies Record<EntityType, string>;

/** Feature statuses and the transitions between them (a deprecated version stays deprecated). */
export const FEATURE_STATUSES = ['active', 'deprecated'] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];
export const FEATURE_STATUS_TRANSITIONS: Readonly<Record<FeatureStatus, readonly FeatureStatus[]>> = {
  active: ['deprecated'],
  deprecated: [],
};

/** The value types a definition may declare; all are stored as float8. */
export const FEATURE_DATA_TYPES = ['float', 'integer', 'boolean', 'probability'] as const;
