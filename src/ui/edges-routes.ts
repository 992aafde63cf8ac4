import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { EdgeRunView, EdgesResponse, EdgeView } from './api-types.js';
import { UiNotFoundError } from './errors.js';
import { iso } from './json-values.js';
import { parseRequest } from './request-input.js';

const EdgesQuery = z
  .object({ run: z.uuid({ error: 'must be a detection run id (a UUID)' }).optional() })
  .strict();

// One row per detection run (`calculation_run_id`), newest first: when it started writing
// edge versions, how many, and which models.
async function detectionRuns(db: Kysely<Database>, run?: string): Promise<EdgeRunView[]> {
  const { rows } = await sql<{ calculation_run_id: string; detected_at: Date; edge_count: number; models: string[] }>`
    select e.calculation_run_id::text as calculation_run_id,
           min(e.row_start_ts) as detected_at,
           count(*)::int as edge_count,
           array_agg(distinct m.model_name || '@' || m.model_version) as models
      from edges e
      join probability_models m on m.model_id = e.model_id
     where ${run === undefined ? sql`true` : sql`e.calculation_run_id = ${run}::uuid`}
     group by e.calculation_run_id
     order by min(e.row_start_ts) desc, max(e.id) desc
     limit 50`.execute(db);
  return rows.map((r) => ({ ...r, detected_at: iso(r.detected_at) }));
}

// The edge versions one run wrote, priced against the market version they name, largest
// edge first. The edge is computed in SQL so the decimal stays exact.
async function edgesOfRun(db: Kysely<Database>, run: string): Promise<EdgeView[]> {
  const { rows } = await sql<EdgeView>`
    select e.edge_id, e.market_id, mk.ticker, mk.title, e.side,
           m.model_name || '@' || m.model_version as model,
           e.training_run_id,
           e.true_win_probability::text as true_win_probability,
           e.market_implied_probability::text as market_implied_probability,
           e.market_price::text as market_price,
           (e.true_win_probability - e.market_implied_probability)::text as edge,
           e.expected_value::text as expected_value,
           e.confidence_level, e.recommended_action,
           e.row_current_ind as current
      from edges e
      join markets mk on mk.id = e.market_row_id
      join probability_models m on m.model_id = e.model_id
     where e.calculation_run_id = ${run}::uuid
     order by (e.true_win_probability - e.market_implied_probability) desc, e.edge_id`.execute(db);
  return rows;
}

/**
 * `/api/edges`: the latest edge-detection run (or `?run=<uuid>`), with every edge it wrote
 * — market, side, model probability, price, edge, expected value — and the 50 most recent
 * runs to choose from. No edges at all is an empty answer; an unknown run is a 404.
 */
export function edgesRoutes(db: Kysely<Database>): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const query = parseRequest(EdgesQuery, c.req.query(), 'query string');
    const runs = await detectionRuns(db);
    let run: EdgeRunView | null = runs[0] ?? null;
    if (query.run !== undefined) {
      run = runs.find((r) => r.calculation_run_id === query.run) ?? (await detectionRuns(db, query.run))[0] ?? null;
      if (!run) throw new UiNotFoundError(`no edge-detection run ${query.run}`, { run: query.run });
    }
    const body: EdgesResponse = { run, runs, edges: run ? await edgesOfRun(db, run.calculation_run_id) : [] };
    return c.json(body);
  });

  return app;
}
