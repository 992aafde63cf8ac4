import { z } from 'zod';
import { inTransaction } from '../../db/scd2.js';
import { MODEL_APPROACHES, MODEL_STATUSES, type ModelStatus } from '../../db/tables/check-values.js';
import type { ProbabilityModel } from '../../db/tables/probability-models.table.js';
import { PROBABILITY, decimalSchema } from './decimal.js';
import { TradingRecordNotFoundError } from './errors.js';
import { guardedWrite, resolveInstant, type Executor } from './executor.js';
import { assertTransition, lifecycleStamps } from './lifecycle.js';
import { calendarDate, definedOnly, jsonObject, keyText, oneOf, parseInput, text } from './input.js';

const ModelFields = z
  .object({
    model_name: text(100),
    model_version: text(20),
    approach: oneOf(MODEL_APPROACHES),
    domain: text(50).nullable().optional(),
    config: jsonObject,
    training_start_date: calendarDate.nullable().optional(),
    training_end_date: calendarDate.nullable().optional(),
    validation_accuracy: decimalSchema(PROBABILITY).nullable().optional(),
    validation_calibration: decimalSchema(PROBABILITY).nullable().optional(),
    description: z.string().nullable().optional(),
    created_by: text(100).nullable().optional(),
  })
  .strict();

/** A new model version (spec §6). `config` is frozen once registered. */
export const ProbabilityModelInputSchema = ModelFields.superRefine((value, ctx) => {
  // ISO dates compare correctly as text.
  const { training_start_date: start, training_end_date: end } = value;
  if (start && end && end < start) {
    ctx.addIssue({ code: 'custom', path: ['training_end_date'], message: 'must not be before training_start_date' });
  }
});
export type ProbabilityModelInput = z.input<typeof ProbabilityModelInputSchema>;

/**
 * The lifecycle of a model version (our choice): draft → training → validating → active →
 * deprecated. A model with nothing to train (a baseline) may skip ahead from draft; a
 * failed validation goes back to training; any version may be deprecated, which is final.
 */
export const MODEL_STATUS_TRANSITIONS: Readonly<Record<ModelStatus, readonly ModelStatus[]>> = Object.freeze({
  draft: ['training', 'validating', 'active', 'deprecated'],
  training: ['validating', 'draft', 'deprecated'],
  validating: ['active', 'training', 'deprecated'],
  active: ['deprecated'],
  deprecated: [],
});

/**
 * Registers a model version with status `draft`. Rules checked before the database is
 * touched: `approach` in its CHECK list, `config` a JSON object, validation metrics in
 * [0, 1], `training_end_date` not before `training_start_date`. A second registration of
 * the same (model_name, model_version) is a ConstraintViolationError: a change is a new
 * version.
 */
export async function registerProbabilityModel(db: Executor, input: ProbabilityModelInput): Promise<ProbabilityModel> {
  const key = keyText(['model_name', 'model_version'], input);
  const row = parseInput(ProbabilityModelInputSchema, input, 'probability_models', key);
  return guardedWrite(`probability_models ${key}`, () =>
    db.insertInto('probability_models').values(row).returningAll().executeTakeFirstOrThrow(),
  );
}

/**
 * Registers a model version unless it is registered already, in one statement: concurrent
 * callers with the same name/version all get the one row (a find-then-insert would let all
 * but one fail on the unique key). Returns the registered version, new or not.
 */
export async function registerProbabilityModelOnce(db: Executor, input: ProbabilityModelInput): Promise<ProbabilityModel> {
  const key = keyText(['model_name', 'model_version'], input);
  const row = parseInput(ProbabilityModelInputSchema, input, 'probability_models', key);
  const inserted = await guardedWrite(`probability_models ${key}`, () =>
    db
      .insertInto('probability_models')
      .values(row)
      .onConflict((oc) => oc.columns(['model_name', 'model_version']).doNothing())
      .returningAll()
      .executeTakeFirst(),
  );
  const registered = inserted ?? (await findProbabilityModel(db, input.model_name, input.model_version));
  if (!registered) throw new Error(`probability_models ${key}: neither inserted nor found`);
  return registered;
}

/** The model version with that id, or undefined. */
export async function getProbabilityModel(db: Executor, modelId: number): Promise<ProbabilityModel | undefined> {
  return db.selectFrom('probability_models').selectAll().where('model_id', '=', modelId).executeTakeFirst();
}

/** The model version registered as `name`/`version`, or undefined. */
export async function findProbabilityModel(
  db: Executor,
  name: string,
  version: string,
): Promise<ProbabilityModel | undefined> {
  return db
    .selectFrom('probability_models')
    .selectAll()
    .where('model_name', '=', name)
    .where('model_version', '=', version)
    .executeTakeFirst();
}

/** Every model version, optionally of one status, by name then version. */
export async function listProbabilityModels(
  db: Executor,
  filter: { status?: ModelStatus } = {},
): Promise<ProbabilityModel[]> {
  let query = db.selectFrom('probability_models').selectAll().orderBy('model_name').orderBy('model_version');
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.execute();
}

async function lockModel(db: Executor, modelId: number): Promise<ProbabilityModel> {
  const row = await db
    .selectFrom('probability_models')
    .selectAll()
    .where('model_id', '=', modelId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) {
    throw new TradingRecordNotFoundError(`probability_models model_id=${modelId} does not exist`, {
      table: 'probability_models',
      key: `model_id=${modelId}`,
    });
  }
  return row;
}

/**
 * Moves a model version along {@link MODEL_STATUS_TRANSITIONS} (StatusTransitionError
 * otherwise; the same status again is a no-op). Becoming `active` stamps `activated_at`,
 * leaving `active` stamps `deactivated_at`, both at `options.at` (default: now). Frozen
 * columns are untouched.
 */
export async function setProbabilityModelStatus(
  db: Executor,
  modelId: number,
  status: ModelStatus,
  options: { at?: Date } = {},
): Promise<ProbabilityModel> {
  const key = `model_id=${modelId}`;
  const to = parseInput(oneOf(MODEL_STATUSES), status, 'probability_models', key);
  return guardedWrite(`probability_models ${key}`, () =>
    inTransaction(db, async (trx) => {
      const current = await lockModel(trx, modelId);
      if (current.status === to) return current;
      assertTransition(MODEL_STATUS_TRANSITIONS, current.status, to, { table: 'probability_models', key });
      const at = await resolveInstant(trx, options.at);
      return trx
        .updateTable('probability_models')
        .set({ status: to, ...lifecycleStamps(current.status, to, at) })
        .where('model_id', '=', modelId)
        .returningAll()
        .executeTakeFirstOrThrow();
    }),
  );
}

/**
 * Stores a model version's validation metrics (mutable columns), each in [0, 1] (checked
 * before the database is touched). Omitted metrics are kept.
 */
export async function recordModelValidation(
  db: Executor,
  modelId: number,
  metrics: { validation_accuracy?: string | number | null; validation_calibration?: string | number | null },
): Promise<ProbabilityModel> {
  const key = `model_id=${modelId}`;
  const set = parseInput(
    ModelFields.pick({ validation_accuracy: true, validation_calibration: true }).strict(),
    metrics,
    'probability_models',
    key,
  );
  return guardedWrite(`probability_models ${key}`, async () => {
    const row =
      Object.keys(definedOnly(set)).length === 0
        ? await getProbabilityModel(db, modelId)
        : await db
            .updateTable('probability_models')
            .set(set)
            .where('model_id', '=', modelId)
            .returningAll()
            .executeTakeFirst();
    if (!row) {
      throw new TradingRecordNotFoundError(`probability_models ${key} does not exist`, {
        table: 'probability_models',
        key,
      });
    }
    return row;
  });
}
