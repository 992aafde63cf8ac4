import { z } from 'zod';
import {
  asOf,
  closeVersion,
  history,
  inTransaction,
  insertFirstVersion,
  updateVersion,
  type VersionedWriteOptions,
} from '../../db/scd2.js';
import { CONFIDENCE_LEVELS, CONTRACT_SIDES, RECOMMENDED_ACTIONS } from '../../db/tables/check-values.js';
import type { Edge } from '../../db/tables/edges.table.js';
import { PROBABILITY, SIGNED_UNIT, decimalSchema } from './decimal.js';
import { guardedWrite, type Executor } from './executor.js';
import { definedOnly, jsonObject, keyText, oneOf, parseInput, rowId, text } from './input.js';
import { resolveMarketVersion, type VersionedResult } from './markets.js';

const probability = decimalSchema(PROBABILITY);

const EdgeFields = z
  .object({
    edge_id: text(50),
    calculation_run_id: z.uuid({ error: 'must be a UUID' }),
    market_id: text(100),
    /** Default: the market's current version. */
    market_row_id: rowId.optional(),
    game_state_row_id: rowId.nullable().optional(),
    model_id: rowId,
    training_run_id: rowId.nullable().optional(),
    strategy_id: rowId.nullable().optional(),
    side: oneOf(CONTRACT_SIDES),
    true_win_probability: probability,
    market_implied_probability: probability,
    market_price: probability,
    expected_value: decimalSchema(SIGNED_UNIT),
    confidence_level: oneOf(CONFIDENCE_LEVELS).nullable().optional(),
    confidence_metrics: jsonObject.nullable().optional(),
    recommended_action: oneOf(RECOMMENDED_ACTIONS).nullable().optional(),
  })
  .strict();

/** A newly detected edge (spec §8). */
export const EdgeInputSchema = EdgeFields;
export type EdgeInput = z.input<typeof EdgeInputSchema>;

/**
 * A recomputation of an edge: the run that produced it, and the values that may move.
 * What the edge is about (market, side, model, strategy) cannot change: a different
 * opportunity is a different edge.
 */
export const EdgeChangesSchema = EdgeFields.omit({
  edge_id: true,
  market_id: true,
  side: true,
  model_id: true,
  strategy_id: true,
})
  .partial()
  .required({ calculation_run_id: true })
  .strict();
export type EdgeChanges = z.input<typeof EdgeChangesSchema>;

/**
 * Records a newly detected edge as version 1 of `edge_id`, pointing at `market_row_id` (by
 * default the market's current version; a given id must be a version of `market_id`).
 * Rules checked before the database is touched: probabilities and price in [0, 1],
 * `expected_value` in [-1, 1], `calculation_run_id` a UUID, enumerations in their CHECK
 * lists. The database rejects a second current edge for the same (market, side, model,
 * strategy) and an `edge_id` that already has a current version.
 */
export async function createEdge(db: Executor, input: EdgeInput, options: VersionedWriteOptions = {}): Promise<Edge> {
  const key = keyText(['edge_id'], input);
  const parsed = parseInput(EdgeInputSchema, input, 'edges', key);
  return guardedWrite(`edges ${key}`, () =>
    inTransaction(db, async (trx) => {
      const market = await resolveMarketVersion(trx, parsed.market_id, parsed.market_row_id, { table: 'edges', key });
      const content = definedOnly({ ...parsed, market_row_id: market.id });
      return (await insertFirstVersion(trx, 'edges', content, options)) as unknown as Edge;
    }),
  );
}

/**
 * Records a recomputation of an existing edge (spec §8: same `edge_id`, new
 * `calculation_run_id`) as a new version, or nothing when no value changed. A given
 * `market_row_id` must be a version of the edge's market. Same field rules as
 * {@link createEdge}. A VersioningError when the edge has no current version.
 */
export async function updateEdge(
  db: Executor,
  edgeId: string,
  changes: EdgeChanges,
  options: VersionedWriteOptions = {},
): Promise<VersionedResult<Edge>> {
  const key = `edge_id=${edgeId}`;
  const content = definedOnly(parseInput(EdgeChangesSchema, changes, 'edges', key));
  return guardedWrite(`edges ${key}`, () =>
    inTransaction(db, async (trx) => {
      if (content.market_row_id !== undefined) {
        const current = await getCurrentEdge(trx, edgeId);
        if (current) await resolveMarketVersion(trx, current.market_id, content.market_row_id, { table: 'edges', key });
      }
      const { version, changed } = await updateVersion(trx, 'edges', { edge_id: edgeId }, content, options);
      return { row: version as unknown as Edge, changed };
    }),
  );
}

/**
 * Closes an edge out (spec §8: the opportunity is gone): its current version ends at
 * `options.at` and the edge has no current row afterwards. If the opportunity comes back
 * it gets a new `edge_id`. A VersioningError when the edge has no current version.
 */
export async function closeEdge(db: Executor, edgeId: string, options: VersionedWriteOptions = {}): Promise<Edge> {
  const key = `edge_id=${edgeId}`;
  return guardedWrite(`edges ${key}`, async () => {
    return (await closeVersion(db, 'edges', { edge_id: edgeId }, options)) as unknown as Edge;
  });
}

/** The current version of an edge, or undefined (also when it was closed out). */
export async function getCurrentEdge(db: Executor, edgeId: string): Promise<Edge | undefined> {
  return db.selectFrom('current_edges').selectAll().where('edge_id', '=', edgeId).executeTakeFirst();
}

/** The version of an edge current at `t`, or undefined. */
export async function getEdgeAsOf(db: Executor, edgeId: string, t: Date): Promise<Edge | undefined> {
  return (await asOf(db, 'edges', { edge_id: edgeId }, t)) as unknown as Edge | undefined;
}

/** Every version of an edge, oldest first. */
export async function getEdgeHistory(db: Executor, edgeId: string): Promise<Edge[]> {
  return (await history(db, 'edges', { edge_id: edgeId })) as unknown as Edge[];
}

/** Every current edge (the `current_edges` view, unfiltered by EV), optionally filtered. */
export async function listCurrentEdges(
  db: Executor,
  filter: { market_id?: string; calculation_run_id?: string } = {},
): Promise<Edge[]> {
  let query = db.selectFrom('current_edges').selectAll().orderBy('edge_id');
  if (filter.market_id !== undefined) query = query.where('market_id', '=', filter.market_id);
  if (filter.calculation_run_id !== undefined) {
    query = query.where('calculation_run_id', '=', filter.calculation_run_id);
  }
  return query.execute();
}
