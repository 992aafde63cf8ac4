import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { EntityType } from './entity-types.js';
import { resolveEntityKeys } from './entity-keys.js';
import type { FeatureRef } from './feature-ref.js';
import { pointInTimeSql, type PointValue } from './point-in-time-sql.js';
import { getFeatures, type RegisteredFeature } from './registry.js';
import type { RetrievalOptions } from './retrieval-spec.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** An entity, named as ingestion names it (team code, event id, …), at a label time. */
export interface EntityAtTime {
  readonly entity: string;
  readonly time: Date;
}

/** Values per feature (outer, in request order) and row (inner, in input order). */
export interface PointInTimeResult {
  readonly features: readonly RegisteredFeature[];
  readonly values: readonly (readonly (PointValue | null)[])[];
}

/**
 * Point-in-time values of several features for (entity, time) rows: for each row and
 * feature, the value chosen by {@link pointInTimeSql}'s rules in the requested mode.
 * Entity names are resolved against each feature's entity kind (and sport); an unknown
 * name is an error that names it.
 */
export async function getFeatureValuesAt(
  db: Executor,
  rows: readonly EntityAtTime[],
  refs: readonly (string | FeatureRef)[],
  options: RetrievalOptions,
): Promise<PointInTimeResult> {
  const features = await getFeatures(db, refs);
  const values: (PointValue | null)[][] = [];
  for (const feature of features) {
    const keys = await resolveEntityKeys(
      db,
      feature.entity_type as EntityType,
      feature.sport,
      rows.map((r) => r.entity),
    );
    values.push(
      await pointInTimeSql(
        db,
        feature.feature_id,
        rows.map((r) => ({ key: keys.get(r.entity)!, time: r.time })),
        options,
      ),
    );
  }
  return { features, values };
}
