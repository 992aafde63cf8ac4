import { z } from 'zod';
import type { Session } from '../db/session.js';
import { marketsOfEvents } from '../datasets/labels.js';
import { FeatureNotFoundError } from '../features/errors.js';
import { retrieveColumn } from '../features/point-in-time-column.js';
import { getFeature } from '../features/registry.js';
import { spreadBaseline } from './evaluation/spread-baseline.js';
import type { BaselineSource } from './evaluation/walk-forward.js';

/**
 * A baseline scored beside every run: an event (or market) feature read at kickoff — the
 * closing number, which is the benchmark a model must beat, not an input it may use.
 * `probability` values are home-win probabilities as they are; `spread` values are the
 * home team's closing spread, turned into Φ(−spread/σ) with σ fitted on each fold's
 * training seasons only.
 */
export const BaselineSpecSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/),
    feature: z.string().regex(/^[a-z][a-z0-9_]*@[A-Za-z0-9][A-Za-z0-9._-]*$/),
    kind: z.enum(['probability', 'spread']),
    role: z.enum(['event', 'market']).default('event'),
    platform: z.string().optional(),
  })
  .strict();
export type BaselineSpec = z.output<typeof BaselineSpecSchema>;

/** The baselines used when a run names none, each only if its feature is registered. */
export const DEFAULT_BASELINES: readonly BaselineSpec[] = [
  { name: 'elo538', feature: 'elo538_prob_home@1', kind: 'probability', role: 'event' },
  { name: 'spread', feature: 'spread_line_home@1', kind: 'spread', role: 'event' },
  { name: 'market', feature: 'market_price@1', kind: 'probability', role: 'market', platform: 'kalshi' },
];

/** The rows a baseline is read for: one game each, at its kickoff. */
export interface BaselineRows {
  readonly eventIds: readonly string[];
  readonly kickoffs: readonly Date[];
  readonly outcomes: ArrayLike<number>;
  /**
   * The dataset's knowledge cutoff: baselines are read as known then, like the dataset
   * itself, so a rerun of the same run spec gives the same baseline metrics whatever was
   * corrected since.
   */
  readonly knowledgeCutoff: Date;
}

/** Keeps the default baselines whose features exist (a run on synthetic data has no 538). */
export async function availableBaselines(session: Session, specs: readonly BaselineSpec[]): Promise<BaselineSpec[]> {
  const out: BaselineSpec[] = [];
  for (const spec of specs) {
    try {
      await getFeature(session.db, spec.feature);
      out.push(spec);
    } catch (error) {
      if (!(error instanceof FeatureNotFoundError)) throw error;
    }
  }
  return out;
}

/**
 * Reads each baseline's value at every game's kickoff (event-time mode: the latest
 * correction of the closing number known by the dataset's cutoff) and turns it into a
 * walk-forward baseline series.
 */
export async function loadBaselines(
  session: Session,
  specs: readonly BaselineSpec[],
  rows: BaselineRows,
): Promise<Record<string, BaselineSource>> {
  const out: Record<string, BaselineSource> = {};
  for (const spec of specs) {
    const feature = await getFeature(session.db, spec.feature);
    const markets =
      spec.role === 'market' && spec.platform
        ? await marketsOfEvents(session.db, spec.platform, rows.eventIds)
        : new Map<string, string>();
    const column = await retrieveColumn(
      session,
      feature.feature_id,
      rows.eventIds.map((id, i) => ({
        key: spec.role === 'market' ? (markets.get(id) ?? null) : id,
        time: rows.kickoffs[i]!,
      })),
      { mode: 'event', knowledgeCutoff: rows.knowledgeCutoff },
    );
    const values = Array.from(column.value, (v) => (Number.isNaN(v) ? null : v));
    out[spec.name] = spec.kind === 'spread' ? spreadBaseline(values, rows.outcomes) : values;
  }
  return out;
}
