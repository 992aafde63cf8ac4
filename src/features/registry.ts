import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { FeatureDefinitionRow } from '../db/tables/feature-definitions.table.js';
import { type FeatureStatus, FEATURE_STATUS_TRANSITIONS } from './entity-types.js';
import { FeatureNotFoundError, FeatureStatusError, FeatureVersionConflictError } from './errors.js';
import { canonicalJson, defineFeature, type FeatureDefinition } from './feature-definition.js';
import { formatFeatureRef, parseFeatureRef, type FeatureRef } from './feature-ref.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A registered feature version, as stored. */
export type RegisteredFeature = FeatureDefinitionRow;

function toRow(def: FeatureDefinition) {
  return {
    feature_name: def.name,
    feature_version: def.version,
    entity_type: def.entity_type,
    sport: def.sport,
    category: def.category,
    data_type: def.data_type,
    unit: def.unit,
    description: def.description,
    calculation_method: canonicalJson(def.calculation_method),
    created_by: def.owner,
  };
}

/** The fields of a stored version that differ from a definition (empty: identical). */
export function differingFields(stored: RegisteredFeature, def: FeatureDefinition): string[] {
  const wanted = toRow(def);
  const diffs: string[] = [];
  const compare: [string, unknown, unknown][] = [
    ['entity_type', stored.entity_type, wanted.entity_type],
    ['sport', stored.sport, wanted.sport],
    ['category', stored.category, wanted.category],
    ['data_type', stored.data_type, wanted.data_type],
    ['unit', stored.unit, wanted.unit],
    ['description', stored.description, wanted.description],
    ['calculation_method', canonicalJson(stored.calculation_method), wanted.calculation_method],
    ['owner', stored.created_by, wanted.created_by],
  ];
  for (const [field, a, b] of compare) if (a !== b) diffs.push(field);
  return diffs;
}

/**
 * Registers a feature version. Registering an identical definition again is a no-op
 * (`created: false`); a different definition under an existing name@version is rejected
 * with a {@link FeatureVersionConflictError} listing the fields that differ.
 */
export async function registerFeature(
  db: Executor,
  input: FeatureDefinition | unknown,
): Promise<{ feature: RegisteredFeature; created: boolean }> {
  const def = defineFeature(input);
  const inserted = await db
    .insertInto('feature_definitions')
    .values(toRow(def))
    .onConflict((oc) => oc.columns(['feature_name', 'feature_version']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { feature: inserted, created: true };
  const stored = await getFeature(db, def);
  const diffs = differingFields(stored, def);
  if (diffs.length > 0) throw new FeatureVersionConflictError(formatFeatureRef(def), diffs);
  return { feature: stored, created: false };
}

/** The stored version named by a ref (`name@version` or `{name, version}`). */
export async function getFeature(db: Executor, ref: string | FeatureRef): Promise<RegisteredFeature> {
  const { name, version } = typeof ref === 'string' ? parseFeatureRef(ref) : ref;
  const row = await db
    .selectFrom('feature_definitions')
    .selectAll()
    .where('feature_name', '=', name)
    .where('feature_version', '=', version)
    .executeTakeFirst();
  if (!row) throw new FeatureNotFoundError(`feature ${name}@${version} is not registered`, { ref: `${name}@${version}` });
  return row;
}

/** Resolves several refs at once, failing on the first unknown one (named). */
export async function getFeatures(db: Executor, refs: readonly (string | FeatureRef)[]): Promise<RegisteredFeature[]> {
  const out: RegisteredFeature[] = [];
  for (const ref of refs) out.push(await getFeature(db, ref));
  return out;
}

/**
 * Changes a version's status along {@link FEATURE_STATUS_TRANSITIONS} (active → deprecated).
 * Deprecating an already deprecated version is a no-op.
 */
export async function setFeatureStatus(db: Executor, ref: string, status: FeatureStatus): Promise<RegisteredFeature> {
  const stored = await getFeature(db, ref);
  const from = stored.status as FeatureStatus;
  if (from === status) return stored;
  if (!FEATURE_STATUS_TRANSITIONS[from].includes(status)) {
    throw new FeatureStatusError(`${ref}: cannot change status from ${from} to ${status}`, { ref, from, to: status });
  }
  return db
    .updateTable('feature_definitions')
    .set({ status })
    .where('feature_id', '=', stored.feature_id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A feature version with what its history holds. */
export interface FeatureSummary extends RegisteredFeature {
  readonly value_count: number;
  readonly entity_count: number;
  readonly first_timestamp: Date | null;
  readonly last_timestamp: Date | null;
}

/** Every registered version (optionally one name), with value counts and time range. */
export async function listFeatures(db: Executor, filter: { name?: string } = {}): Promise<FeatureSummary[]> {
  let query = db
    .selectFrom('feature_definitions as d')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('features_historical as h')
          .select([
            sql<number>`count(*)::int`.as('value_count'),
            sql<number>`count(distinct h.entity_key)::int`.as('entity_count'),
            sql<Date | null>`min(h."timestamp")`.as('first_timestamp'),
            sql<Date | null>`max(h."timestamp")`.as('last_timestamp'),
          ])
          .whereRef('h.feature_id', '=', 'd.feature_id')
          .as('s'),
      (join) => join.onTrue(),
    )
    .selectAll('d')
    .select(['s.value_count', 's.entity_count', 's.first_timestamp', 's.last_timestamp'])
    .orderBy('d.feature_name')
    .orderBy('d.feature_id');
  if (filter.name) query = query.where('d.feature_name', '=', filter.name);
  return (await query.execute()) as FeatureSummary[];
}
