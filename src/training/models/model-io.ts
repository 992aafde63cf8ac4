import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { io } from '@tensorflow/tfjs';
import { z } from 'zod';

import { initTensorflow, TF_BACKENDS } from '../backend/tf-backend.js';
import { InvalidModelArtifactError } from './errors.js';
import { createFittedModel, type FittedModel, type ModelMetadata } from './fitted-model.js';
import { parseHyperparameters } from './hyperparameters.js';
import { MODEL_TYPES } from './model-types.js';
import { seededDropoutClass } from './seeded-dropout.js';
import { parseStandardizer } from './standardizer.js';

/** The files of a saved model, by role. */
export const MODEL_FILES = Object.freeze({
  model: 'model.json',
  weights: 'weights.bin',
  standardizer: 'standardizer.json',
});

/** Where {@link saveModel} wrote each file. */
export interface SavedModelFiles {
  readonly dir: string;
  readonly model: string;
  readonly weights: string;
  readonly standardizer: string;
}

const metadataSchema = z.strictObject({
  formatVersion: z.literal(1),
  type: z.enum(MODEL_TYPES),
  hyperparameters: z.record(z.string(), z.unknown()),
  trainedBackend: z.enum(TF_BACKENDS),
  featureCount: z.number().int().min(1),
  lossHistory: z.array(z.number().nullable()),
});

const modelJsonSchema = z.object({
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string()).min(1),
        weights: z.array(
          z.object({ name: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.literal('float32') }),
        ),
      }),
    )
    .length(1),
  userDefinedMetadata: z.object({ precog: metadataSchema }),
});

/**
 * Writes `model` to `dir` (created if missing; files in it are replaced): `model.json`
 * (the TF.js layers-model format: topology, a one-file weights manifest, and Precog's
 * metadata — type, hyperparameters, training backend, loss history — under
 * `userDefinedMetadata.precog`), `weights.bin` (the float32 weights) and
 * `standardizer.json`. Uses `tf.io.withSaveHandler`, so no tfjs-node is needed. The same
 * model gives the same bytes. The optimizer state is not saved (the files are for
 * prediction, not for resuming training).
 */
export async function saveModel(model: FittedModel, dir: string): Promise<SavedModelFiles> {
  const { tf } = await initTensorflow();
  let captured: io.ModelArtifacts | undefined;
  await model.network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (captured?.weightSpecs === undefined || captured.weightData === undefined) {
    throw new InvalidModelArtifactError(dir, 'TF.js produced no weights to save');
  }
  const metadata: z.infer<typeof metadataSchema> = {
    formatVersion: 1,
    type: model.type,
    hyperparameters: { ...model.hyperparameters },
    trainedBackend: model.trainedBackend,
    featureCount: model.featureCount,
    lossHistory: model.lossHistory.map((v) => (Number.isFinite(v) ? v : null)),
  };
  const modelJson = {
    format: captured.format ?? 'layers-model',
    generatedBy: captured.generatedBy,
    convertedBy: captured.convertedBy ?? null,
    modelTopology: captured.modelTopology,
    weightsManifest: [{ paths: [MODEL_FILES.weights], weights: captured.weightSpecs }],
    userDefinedMetadata: { precog: metadata },
  };
  const files: SavedModelFiles = {
    dir,
    model: path.join(dir, MODEL_FILES.model),
    weights: path.join(dir, MODEL_FILES.weights),
    standardizer: path.join(dir, MODEL_FILES.standardizer),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(files.model, `${JSON.stringify(modelJson, null, 2)}\n`);
  await writeFile(files.weights, new Uint8Array(tf.io.CompositeArrayBuffer.join(captured.weightData)));
  await writeFile(files.standardizer, `${JSON.stringify(model.standardizer, null, 2)}\n`);
  return Object.freeze(files);
}

/**
 * Reads a model written by {@link saveModel} from `dir` (via `tf.io.fromMemory`; no
 * tfjs-node needed). It predicts exactly what the saved model predicted when run on the
 * same backend. Throws {@link InvalidModelArtifactError} naming the file when one is
 * missing, is not valid JSON, does not match the format, or disagrees with another
 * (feature counts, weight sizes).
 */
export async function loadModel(dir: string): Promise<FittedModel> {
  const { tf, backend } = await initTensorflow();
  const modelPath = path.join(dir, MODEL_FILES.model);
  const modelJson = parseFile(modelPath, modelJsonSchema, await readJson(modelPath));
  const meta = modelJson.userDefinedMetadata.precog;
  const hyperparameters = guard(modelPath, () => parseHyperparameters(meta.type, meta.hyperparameters));
  const standardizerPath = path.join(dir, MODEL_FILES.standardizer);
  const standardizerJson = await readJson(standardizerPath);
  const standardizer = guard(standardizerPath, () => parseStandardizer(standardizerJson));
  if (standardizer.columns.length !== meta.featureCount) {
    throw new InvalidModelArtifactError(
      standardizerPath,
      `has ${standardizer.columns.length} columns; model.json says ${meta.featureCount} features`,
    );
  }
  const manifest = modelJson.weightsManifest[0];
  const buffers: ArrayBuffer[] = [];
  for (const file of manifest?.paths ?? []) {
    // Weight paths are file names next to model.json; anything else was not written by us.
    if (file !== path.basename(file)) throw new InvalidModelArtifactError(modelPath, `weights path ${file} is not a file name`);
    const bytes = await readBytes(path.join(dir, file));
    buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
  seededDropoutClass(tf);
  const network = await guardAsync(modelPath, () =>
    tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: manifest?.weights ?? [],
        weightData: tf.io.CompositeArrayBuffer.join(buffers),
        ...(modelJson.format === undefined ? {} : { format: modelJson.format }),
        ...(modelJson.generatedBy === undefined ? {} : { generatedBy: modelJson.generatedBy }),
      }),
    ),
  );
  const metadata: ModelMetadata = {
    type: meta.type,
    hyperparameters,
    trainedBackend: meta.trainedBackend,
    lossHistory: Object.freeze(meta.lossHistory.map((v) => v ?? Number.NaN)),
  };
  return createFittedModel(tf, backend, network, standardizer, metadata);
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new InvalidModelArtifactError(file, 'cannot be read', { cause: error });
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = (await readBytes(file)).toString('utf8');
  return guard(file, () => JSON.parse(text) as unknown);
}

function parseFile<T>(file: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidModelArtifactError(file, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function guard<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof InvalidModelArtifactError) throw error;
    throw new InvalidModelArtifactError(file, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

async function guardAsync<T>(file: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (error) {
    throw new InvalidModelArtifactError(file, error instanceof Error ? error.message : String(error), { cause: error });
  }
}
