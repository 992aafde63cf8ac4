import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { EntityType } from './entity-types.js';
import { RetrievalError } from './errors.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Every name an entity can be given by, as rows (entity_type, key, sport, entity_id,
 * ambiguous): team codes and aliases (lower-cased: matched case-insensitively), player
 * external ids, event ids, market ids and tickers. `entity_id` is the entity's
 * features_historical `entity_key`. Used by ingestion and retrieval alike.
 */
export const ENTITY_KEYS = sql`
    select 'team'::text as entity_type, k.key, t.sport, min(t.team_id)::text as entity_id,
           count(distinct t.team_id) > 1 as ambiguous
      from teams t cross join lateral (select lower(t.code) union select lower(a) from unnest(t.aliases) a) k(key)
     group by k.key, t.sport
    union all
    select 'player', p.external_id, null, p.player_id::text, false from players p
    union all
    select 'event', e.event_id, null, e.event_id, false from events e
    union all
    select 'market', m.key, null, min(m.market_id), count(distinct m.market_id) > 1
      from (select market_id as key, market_id from markets
            union select ticker, market_id from markets where ticker is not null) m
     group by m.key`;

/**
 * Resolves entity names (team codes/aliases, player external ids, event ids, market ids or
 * tickers) to entity keys. Throws a RetrievalError naming the first names that match no
 * entity, or more than one.
 */
export async function resolveEntityKeys(
  db: Executor,
  entityType: EntityType,
  sport: string | null,
  names: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(names)];
  const lookup = unique.map((n) => (entityType === 'team' ? n.toLowerCase() : n));
  const { rows } = await sql<{ key: string; entity_id: string; ambiguous: boolean }>`
    select k.key, k.entity_id, k.ambiguous from (${ENTITY_KEYS}) k
     where k.entity_type = ${entityType} and k.key = any(${lookup}::text[])
       and (k.sport is null or ${sport}::text is null or k.sport = ${sport})`.execute(db);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const result = new Map<string, string>();
  const missing: string[] = [];
  unique.forEach((name, i) => {
    const hit = byKey.get(lookup[i]!);
    if (!hit || hit.ambiguous) missing.push(name);
    else result.set(name, hit.entity_id);
  });
  if (missing.length > 0) {
    throw new RetrievalError(
      `unknown ${entityType}${missing.length > 1 ? 's' : ''}: ${missing.slice(0, 10).join(', ')}` +
        (missing.length > 10 ? ` and ${missing.length - 10} more` : ''),
      { entityType, missing: missing.slice(0, 100) },
    );
  }
  return result;
}
