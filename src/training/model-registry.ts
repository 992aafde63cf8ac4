import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { ModelApproach } from '../db/tables/check-values.js';
import type { ProbabilityModel } from '../db/tables/probability-models.table.js';
import { registerProbabilityModelOnce } from '../entities/trading/probability-models.js';
import { canonicalJson } from '../features/feature-definition.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The model types `precog train` knows, and the catalogue approach each is filed under. */
export const TRAINABLE_TYPES = ['logistic', 'mlp', 'elo', 'baseline'] as const;
export type TrainableType = (typeof TRAINABLE_TYPES)[number];

const APPROACH: Record<TrainableType, ModelApproach> = {
  logistic: 'regression',
  mlp: 'neural_net',
  elo: 'elo',
  baseline: 'baseline',
};

/**
 * The probability_models row for a model configuration, registered on first use. The
 * version is a hash of the canonical configuration (type, hyperparameters, input
 * columns), so the same configuration always maps to the same immutable version and any
 * change is a new one.
 */
export async function ensureModel(
  db: Executor,
  input: { type: TrainableType; sport: string | null; config: Record<string, unknown> },
): Promise<ProbabilityModel> {
  const config = { type: input.type, ...input.config };
  const version = `h${createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 10)}`;
  const name = `precog_${input.type}`;
  return registerProbabilityModelOnce(db, {
    model_name: name,
    model_version: version,
    approach: APPROACH[input.type],
    domain: input.sport,
    config,
    description: `${input.type} model trained by precog train`,
    created_by: 'precog',
  });
}
