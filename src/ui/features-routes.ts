import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { resolveEntityKeys } from '../features/entity-keys.js';
import { EntityTypeSchema } from '../features/entity-types.js';
import { RetrievalError } from '../features/errors.js';
import { formatFeatureRef } from '../features/feature-ref.js';
import { getFeature, listFeatures, type FeatureSummary } from '../features/registry.js';
import type { FeatureDetail, FeatureEntity, FeatureListItem, FeaturePoint, FeatureValuesResponse } from './api-types.js';
import { UiNotFoundError } from './errors.js';
import { iso, isoOrNull } from './json-values.js';
import { parseRequest } from './request-input.js';

const ListQuery = z
  .object({
    name: z.string().max(100).optional(),
    entity_type: EntityTypeSchema.optional(),
    status: z.enum(['active', 'deprecated']).optional(),
  })
  .strict();

const RefParam = z.string().min(3).max(130);

const ValuesQuery = z
  .object({
    entity: z.string().trim().min(1, 'is required: a team code, player external id, event id or market id').max(200),
    limit: z.coerce.number().int().min(1).max(20_000).default(2_000),
  })
  .strict();

/** feature_id → its history's distinct external sources. */
async function sourcesByFeature(db: Kysely<Database>, featureId?: number): Promise<Map<number, string[]>> {
  let query = db
    .selectFrom('features_historical')
    .select(['feature_id', 'external_source'])
    .distinct()
    .orderBy('feature_id')
    .orderBy('external_source');
  if (featureId !== undefined) query = query.where('feature_id', '=', featureId);
  const out = new Map<number, string[]>();
  for (const row of await query.execute()) {
    const list = out.get(row.feature_id) ?? [];
    list.push(row.external_source);
    out.set(row.feature_id, list);
  }
  return out;
}

function toListItem(f: FeatureSummary, sources: Map<number, string[]>): FeatureListItem {
  return {
    ref: formatFeatureRef({ name: f.feature_name, version: f.feature_version }),
    feature_id: f.feature_id,
    name: f.feature_name,
    version: f.feature_version,
    entity_type: f.entity_type,
    sport: f.sport,
    category: f.category,
    unit: f.unit,
    description: f.description,
    status: f.status,
    sources: sources.get(f.feature_id) ?? [],
    value_count: f.value_count ?? 0,
    entity_count: f.entity_count ?? 0,
    first_timestamp: isoOrNull(f.first_timestamp),
    last_timestamp: isoOrNull(f.last_timestamp),
  };
}

// The entities with the most values, named the way ingestion and `?entity=` accept them:
// team code, player external id, event id, market id.
async function topEntities(db: Kysely<Database>, featureId: number): Promise<FeatureEntity[]> {
  const { rows } = await sql<FeatureEntity>`
    select coalesce(t.code, p.external_id, s.entity_key) as entity,
           coalesce(t.name, p.name, e.title) as label,
           s.value_count
      from (select entity_key, min(team_id) as team_id, min(player_id) as player_id,
                   min(event_id) as event_id, count(*)::int as value_count
              from features_historical
             where feature_id = ${featureId}
             group by entity_key) s
      left join teams t on t.team_id = s.team_id
      left join players p on p.player_id = s.player_id
      left join events e on e.event_id = s.event_id
     order by s.value_count desc, entity
     limit 200`.execute(db);
  return rows;
}

// Event-time history of one entity: per timestamp the latest correction's value, the
// newest `limit` timestamps (one more is read to tell whether older ones were left out).
async function entityHistory(db: Kysely<Database>, featureId: number, entityKey: string, limit: number) {
  const { rows } = await sql<{ timestamp: Date; value: number; available_at: Date; versions: number }>`
    select * from (
      select distinct on (h."timestamp") h."timestamp", h.feature_value as value, h.available_at,
             (count(*) over (partition by h."timestamp"))::int as versions
        from features_historical h
       where h.feature_id = ${featureId} and h.entity_key = ${entityKey}
       order by h."timestamp" desc, h.available_at desc, h.id desc
    ) latest
    order by latest."timestamp" desc
    limit ${limit + 1}`.execute(db);
  const truncated = rows.length > limit;
  const points: FeaturePoint[] = rows
    .slice(0, limit)
    .reverse()
    .map((r) => ({ timestamp: iso(r.timestamp), value: r.value, available_at: iso(r.available_at), versions: r.versions }));
  return { points, truncated };
}

/**
 * `/api/features`: the registry with value counts, time range and sources (filters:
 * `name`, `entity_type`, `status`); `/:ref` one version with its definition and top
 * entities; `/:ref/values?entity=…&limit=…` that entity's event-time history, for the
 * sparkline. An unknown ref or entity is a 404.
 */
export function featuresRoutes(db: Kysely<Database>): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const query = parseRequest(ListQuery, c.req.query(), 'query string');
    const all = await listFeatures(db, query.name ? { name: query.name } : {});
    const sources = await sourcesByFeature(db);
    const items = all
      .filter((f) => (query.entity_type ? f.entity_type === query.entity_type : true))
      .filter((f) => (query.status ? f.status === query.status : true))
      .map((f) => toListItem(f, sources));
    return c.json(items);
  });

  app.get('/:ref', async (c) => {
    const ref = parseRequest(RefParam, c.req.param('ref'), 'feature reference');
    const feature = await getFeature(db, ref);
    const [summary] = (await listFeatures(db, { name: feature.feature_name })).filter((f) => f.feature_id === feature.feature_id);
    const sources = await sourcesByFeature(db, feature.feature_id);
    const detail: FeatureDetail = {
      ...toListItem(summary ?? { ...feature, value_count: 0, entity_count: 0, first_timestamp: null, last_timestamp: null }, sources),
      data_type: feature.data_type,
      calculation_method: feature.calculation_method,
      created_at: iso(feature.created_at),
      created_by: feature.created_by,
      entities: await topEntities(db, feature.feature_id),
    };
    return c.json(detail);
  });

  app.get('/:ref/values', async (c) => {
    const ref = parseRequest(RefParam, c.req.param('ref'), 'feature reference');
    const query = parseRequest(ValuesQuery, c.req.query(), 'query string');
    const feature = await getFeature(db, ref);
    const entityType = EntityTypeSchema.parse(feature.entity_type);
    let entityKey: string;
    try {
      const keys = await resolveEntityKeys(db, entityType, feature.sport, [query.entity]);
      entityKey = keys.get(query.entity)!;
    } catch (error) {
      if (error instanceof RetrievalError) {
        throw new UiNotFoundError(`${ref}: ${error.message}`, { ref, entity: query.entity });
      }
      throw error;
    }
    const history = await entityHistory(db, feature.feature_id, entityKey, query.limit);
    const body: FeatureValuesResponse = { ref, entity: query.entity, ...history };
    return c.json(body);
  });

  return app;
}
