import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { PrecogDb } from '../../db/connection.js';
import { asOf } from '../../db/scd2.js';
import { closeEdge, createEdge, getCurrentEdge, updateEdge } from '../../entities/trading/edges.js';
import { openDataset } from '../../datasets/arrow-dataset-reader.js';
import { getRun } from '../runs/run-log.js';
import { PrecogError } from '../../errors.js';

/** A detection that cannot run (the run has no predictions, …). */
export class EdgeDetectionError extends PrecogError {
  readonly code = 'EDGE_DETECTION' as const;
}

/** What one detection run wrote. */
export interface EdgeDetection {
  readonly calculation_run_id: string;
  readonly training_run_id: number;
  readonly at: string;
  readonly markets_priced: number;
  readonly edges: readonly { edge_id: string; market_id: string; side: 'yes' | 'no'; model_probability: number; price: string; expected_value: number }[];
  readonly closed: number;
}

/** Minimum expected value per contract for an opportunity to count as an edge. */
export const DEFAULT_MIN_EDGE = 0.02;

const fmt = (x: number) => (Math.round(x * 10_000) / 10_000).toFixed(4);

/**
 * Compares a training run's out-of-sample probabilities with the market prices current at
 * `at` (SCD2 as-of: the version valid at that instant, open markets only) and records the
 * opportunities as edges through the SCD2 path, all under one new `calculation_run_id`:
 * buy YES when p − price ≥ minEdge, buy NO when price − p ≥ minEdge. An edge keeps its
 * id (`<market>:<side>:m<model>`) while the opportunity lasts — a new version per
 * detection — and is closed out when a later detection no longer finds it.
 */
export async function detectEdges(
  db: PrecogDb,
  options: { runId: number; at: Date; minEdge?: number },
): Promise<EdgeDetection> {
  const run = await getRun(db.db, options.runId);
  const artifacts = run.artifacts as { predictions?: string } | null;
  if (run.status !== 'completed' || !artifacts?.predictions) {
    throw new EdgeDetectionError(`training run ${options.runId} has no predictions (status ${run.status})`, { runId: options.runId });
  }
  const file = await openDataset(artifacts.predictions);
  const cols = await file.readColumns();
  const model = cols.features.find((f) => f.name === 'model');
  if (!model) throw new EdgeDetectionError(`run ${options.runId}'s predictions have no model column`, { runId: options.runId });
  const probability = new Map<string, number>();
  cols.eventId.forEach((id, i) => model.valid[i] && probability.set(id, model.values[i]!));
  const minEdge = options.minEdge ?? DEFAULT_MIN_EDGE;
  const calculationRunId = randomUUID();
  const at = options.at;

  // Markets of the predicted events whose version at `at` is open with a price.
  const { rows: markets } = await sql<{ market_id: string; event_id: string }>`
    select distinct m.market_id, m.event_id from markets m
     where m.event_id = any(${[...probability.keys()]}::text[])
       and m.row_start_ts <= ${at} and (m.row_end_ts is null or m.row_end_ts > ${at})
       and m.status = 'open' and m.yes_price is not null
     order by m.market_id`.execute(db.db);

  const found: EdgeDetection['edges'][number][] = [];
  let closed = 0;
  await db.db.transaction().execute(async (trx) => {
    const seen = new Set<string>();
    for (const m of markets) {
      const version = await asOf(trx, 'markets', { market_id: m.market_id }, at);
      if (!version) continue;
      const price = Number(version['yes_price']);
      const p = probability.get(m.event_id)!;
      for (const side of ['yes', 'no'] as const) {
        const ev = side === 'yes' ? p - price : price - p;
        const edgeId = `${m.market_id}:${side}:m${run.model_id}`.slice(0, 50);
        const current = await getCurrentEdge(trx, edgeId);
        if (ev < minEdge) continue;
        seen.add(edgeId);
        const fields = {
          calculation_run_id: calculationRunId,
          market_row_id: version.id,
          training_run_id: run.run_id,
          true_win_probability: fmt(side === 'yes' ? p : 1 - p),
          market_implied_probability: fmt(side === 'yes' ? price : 1 - price),
          market_price: fmt(side === 'yes' ? price : 1 - price),
          expected_value: fmt(ev),
          confidence_level: ev >= 0.1 ? ('high' as const) : ev >= 0.05 ? ('medium' as const) : ('low' as const),
          recommended_action: ev >= 0.05 ? ('alert' as const) : ('ignore' as const),
        };
        if (current) await updateEdge(trx, edgeId, fields, { at });
        else await createEdge(trx, { edge_id: edgeId, market_id: m.market_id, model_id: run.model_id, side, ...fields }, { at });
        found.push({ edge_id: edgeId, market_id: m.market_id, side, model_probability: p, price: fmt(price), expected_value: ev });
      }
    }
    // Edges of this model that this detection no longer finds are closed out.
    const stale = await trx
      .selectFrom('edges')
      .select('edge_id')
      .where('row_current_ind', '=', true)
      .where('model_id', '=', run.model_id)
      .where('row_start_ts', '<=', at)
      .execute();
    for (const e of stale) {
      if (seen.has(e.edge_id)) continue;
      await closeEdge(trx, e.edge_id, { at });
      closed += 1;
    }
  });
  return {
    calculation_run_id: calculationRunId,
    training_run_id: run.run_id,
    at: at.toISOString(),
    markets_priced: markets.length,
    edges: found,
    closed,
  };
}
