import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ModelApproach, ModelStatus } from './check-values.js';
import type {
  CreatedAt,
  DateString,
  Decimal,
  Frozen,
  Identity,
  NullableTimestamp,
  WithDefault,
} from './column-types.js';
import type { Json } from './json.js';

/**
 * `probability_models` (spec §6): one immutable model version. Name, version, approach,
 * domain and config are frozen (a trigger rejects changes); lifecycle and validation
 * columns stay mutable.
 */
export interface ProbabilityModelsTable {
  model_id: Identity;
  model_name: Frozen<string>;
  model_version: Frozen<string>;
  approach: Frozen<ModelApproach>;
  domain: Frozen<string | null>;
  config: Frozen<Json>;
  training_start_date: DateString | null;
  training_end_date: DateString | null;
  status: WithDefault<ModelStatus>;
  validation_accuracy: Decimal | null;
  validation_calibration: Decimal | null;
  activated_at: NullableTimestamp;
  deactivated_at: NullableTimestamp;
  description: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export type ProbabilityModel = Selectable<ProbabilityModelsTable>;
export type NewProbabilityModel = Insertable<ProbabilityModelsTable>;
export type ProbabilityModelUpdate = Updateable<ProbabilityModelsTable>;
