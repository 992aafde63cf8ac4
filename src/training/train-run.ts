import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PrecogDb } from '../db/connection.js';
import type { TrainingRunRow } from '../db/tables/model-training-runs.table.js';
import { createDatasetWriter } from '../datasets/arrow-dataset-writer.js';
import type { DatasetColumns } from '../datasets/arrow-dataset-reader.js';
import { defineDataset } from '../datasets/dataset-spec.js';
import { openRegisteredDataset, type RegisteredDataset } from '../datasets/dataset-registry.js';
import { parseDuration } from '../features/retrieval-spec.js';
import { initTensorflow } from './backend/tf-backend.js';
import { availableBaselines, BaselineSpecSchema, DEFAULT_BASELINES, loadBaselines, type BaselineSpec } from './baselines.js';
import { modelFoldFitter } from './evaluation/model-fold-fitter.js';
import type { SeriesMetrics } from './evaluation/series-metrics.js';
import { MODEL_SERIES, runWalkForward, type FoldFitter, type WalkForwardResult } from './evaluation/walk-forward.js';
import { parseHyperparameters } from './models/hyperparameters.js';
import { saveModel } from './models/model-io.js';
import { trainModel } from './models/train-model.js';
import { ensureModel, type TrainableType } from './model-registry.js';
import { walkForwardBrierSvg, walkForwardCalibrationSvg } from './plots/walk-forward-plots.js';
import { NothingScoredError } from './runs/errors.js';
import { completeRun, failRun, heartbeat, reapDeadRuns, startRun } from './runs/run-log.js';

/** What `precog train` asks for. */
export interface TrainOptions {
  readonly dataset: string;
  readonly model: TrainableType;
  /** `key=value` strings or an object, validated per model type. */
  readonly hyperparameters?: readonly string[] | Record<string, unknown>;
  /** Test seasons, e.g. `2000:2020` (default: every season after the first). */
  readonly walkForward?: string;
  /** Train on at most this many earlier seasons. */
  readonly trainWindow?: number;
  /** Baselines scored beside the model (default: those of {@link DEFAULT_BASELINES} that exist). */
  readonly baselines?: readonly BaselineSpec[];
  /** `$PRECOG_HOME`: artifacts go to `<home>/artifacts/runs/<id>/`. */
  readonly home: string;
  readonly onProgress?: (message: string) => void;
}

/** A finished run. */
export interface TrainResult {
  readonly run: TrainingRunRow;
  readonly metrics: RunMetrics;
}

/** The metrics JSON stored on a run (and read by `runs compare` and the UI). */
export interface RunMetrics {
  readonly dataset: { ref: string; sha256: string; knowledge_cutoff: string; rows: number };
  readonly model: { type: TrainableType; model_id: number; backend: string | null };
  readonly walk_forward: {
    range: string;
    train_window: number | null;
    folds: { season: number; train_seasons: number[]; train_rows: number; test_rows: number; compared_rows: number; info: unknown }[];
    skipped: { season: number; reason: string }[];
  };
  readonly overall: MetricRow | null;
  readonly baselines: Record<string, MetricRow>;
  readonly per_season: (MetricRow & { season: number; baselines: Record<string, MetricRow> })[];
  readonly calibration: unknown[];
  readonly compared_rows: number;
  readonly excluded_rows: number;
}

/** One series' metrics, as stored. */
export interface MetricRow {
  readonly n: number;
  readonly brier: number;
  readonly log_loss: number;
  readonly accuracy: number | null;
  readonly ece: number;
  readonly game_points_538: number | null;
}

const ColumnModelSchema = z.object({ column: z.string().min(1).optional() }).strict();
const BaselineModelSchema = z.object({ name: z.string().min(1) }).strict();

function metricRow(m: SeriesMetrics): MetricRow {
  return {
    n: m.n,
    brier: m.brier,
    log_loss: m.logLoss,
    accuracy: m.accuracy,
    ece: m.ece,
    game_points_538: m.gamePoints538?.total ?? null,
  };
}

function hpObject(input: TrainOptions['hyperparameters']): Record<string, unknown> {
  if (!input) return {};
  if (!Array.isArray(input)) return input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const item of input as readonly string[]) {
    const eq = item.indexOf('=');
    if (eq > 0) out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

/** The seasons of a dataset that can be tested: all after the first, by default. */
function defaultRange(cols: DatasetColumns): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of cols.season) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  return `${lo + 1}:${hi}`;
}

/**
 * Trains and evaluates a model on a registered dataset, logging everything in
 * model_training_runs (DESIGN §6):
 * - reaps runs whose process died, registers the model configuration on first use, and
 *   starts the run as `running` (with a heartbeat while it works);
 * - evaluates walk-forward by season — each test season predicted by a model fitted on
 *   earlier seasons only — and scores the baselines on exactly the same games;
 * - fits a final model on every season up to the range's end and saves it, the
 *   out-of-sample predictions (Arrow) and the calibration and per-season Brier plots
 *   under `<home>/artifacts/runs/<id>/`;
 * - ends `completed` with metrics (which record the dataset's sha256 and knowledge cutoff)
 *   or `failed` with the error — never left `running`.
 */
export async function trainRun(db: PrecogDb, options: TrainOptions): Promise<TrainResult> {
  const progress = options.onProgress ?? (() => undefined);
  await reapDeadRuns(db.db);
  const { dataset, file } = await openRegisteredDataset(db.db, options.dataset);
  const cols = await file.readColumns();
  const type = options.model;
  const hpInput = hpObject(options.hyperparameters);
  const hp =
    type === 'logistic' || type === 'mlp'
      ? parseHyperparameters(type, options.hyperparameters ?? {})
      : type === 'elo'
        ? ColumnModelSchema.parse(hpInput)
        : BaselineModelSchema.parse(hpInput);
  const featureNames = cols.features.map((f) => f.name);
  const model = await ensureModel(db.db, {
    type,
    sport: dataset.sport,
    config: { hyperparameters: hp, columns: featureNames },
  });
  const backend = type === 'logistic' || type === 'mlp' ? (await initTensorflow()).backend : null;
  const run = await startRun(db.db, { modelId: model.model_id, datasetId: dataset.dataset_id, hyperparameters: hp, backend });
  progress(`run ${run.run_id}: started (pid ${process.pid}, logged as running)`);
  const started = performance.now();
  const beat = setInterval(() => void heartbeat(db.db, run.run_id).catch(() => undefined), 30_000);
  beat.unref();
  try {
    const range = options.walkForward ?? defaultRange(cols);
    const baselineSpecs = (options.baselines ?? (await db.transaction((s) => availableBaselines(s, DEFAULT_BASELINES)))).map((b) =>
      BaselineSpecSchema.parse(b),
    );
    const offsetMs = parseDuration(defineDataset(dataset.metadata.spec).labels.label_offset, 'label offset');
    progress(`run ${run.run_id}: reading ${baselineSpecs.length} baseline(s) at kickoff`);
    const baselines = await db.transaction((session) =>
      loadBaselines(session, baselineSpecs, {
        eventIds: cols.eventId,
        kickoffs: Array.from(cols.labelTime, (t) => new Date(t + offsetMs)),
        outcomes: cols.target,
        knowledgeCutoff: dataset.knowledge_cutoff,
      }),
    );
    const X = cols.features.map((f) => f.values);
    const fitter = foldFitter(type, hp, X, cols, baselines, featureNames);
    progress(`run ${run.run_id}: walk-forward ${range} with ${type}`);
    // A baseline model is not also scored beside itself.
    const scoredBeside = Object.fromEntries(Object.entries(baselines).filter(([name]) => !(type === 'baseline' && name === (hp as { name: string }).name)));
    const result = await runWalkForward({ seasons: cols.season, outcomes: cols.target }, fitter, {
      range,
      ...(options.trainWindow ? { trainWindow: options.trainWindow } : {}),
      baselines: scoredBeside,
    });
    if (result.overall.comparedRows === 0) {
      const names = Object.keys(scoredBeside);
      throw new NothingScoredError(
        `run ${run.run_id} scored no game of ${range}: ` +
          (names.length > 0
            ? `the baselines ${names.join(', ')} have no value on any of its ${result.overall.excludedRows} test games together; ` +
              `choose seasons they cover, or pass --baseline with fewer (or none)`
            : `the range has no test game`),
        { runId: run.run_id, range, baselines: names },
      );
    }
    const metrics = assembleMetrics(dataset, cols, result, { type, modelId: model.model_id, backend, range, trainWindow: options.trainWindow ?? null });
    const dir = path.join(options.home, 'artifacts', 'runs', String(run.run_id));
    const artifacts = await writeArtifacts(dir, { type, hp, X, cols, featureNames, result, metrics, rangeTo: result.plan.range.to });
    const done = await completeRun(db.db, run.run_id, {
      metrics,
      durationSeconds: (performance.now() - started) / 1000,
      artifacts,
    });
    return { run: done, metrics };
  } catch (error) {
    await failRun(db.db, run.run_id, error, (performance.now() - started) / 1000).catch(() => undefined);
    throw error;
  } finally {
    clearInterval(beat);
  }
}

function foldFitter(
  type: TrainableType,
  hp: unknown,
  X: Float64Array[],
  cols: DatasetColumns,
  baselines: Record<string, unknown>,
  featureNames: readonly string[],
): FoldFitter {
  if (type === 'logistic' || type === 'mlp') {
    return modelFoldFitter(type, hp as never, X, cols.target, { featureNames });
  }
  if (type === 'elo') {
    const wanted = (hp as { column?: string }).column ?? featureNames.find((n) => /elo.*prob|prob.*elo/.test(n));
    const column = cols.features.find((f) => f.name === wanted);
    if (!column) throw new z.ZodError([{ code: 'custom', path: ['column'], message: `no probability column ${wanted ?? '(elo_prob…)'} in the dataset`, input: wanted }]);
    // A column model has nothing to fit: it forecasts its column, 0.5 where the column is empty.
    return () => ({ predict: (rows) => rows.map((r) => (Number.isNaN(column.values[r]!) ? 0.5 : column.values[r]!)) });
  }
  const name = (hp as { name: string }).name;
  const source = baselines[name];
  if (!source) throw new z.ZodError([{ code: 'custom', path: ['name'], message: `no baseline named ${name}`, input: name }]);
  if (typeof source === 'function') return source as FoldFitter;
  const values = source as (number | null)[];
  return () => ({ predict: (rows) => rows.map((r) => values[r] ?? 0.5) });
}

function assembleMetrics(
  dataset: RegisteredDataset,
  cols: DatasetColumns,
  result: WalkForwardResult,
  m: { type: TrainableType; modelId: number; backend: string | null; range: string; trainWindow: number | null },
): RunMetrics {
  const overall = result.overall.metrics;
  const baselines: Record<string, MetricRow> = {};
  for (const [name, series] of Object.entries(overall ?? {})) if (name !== MODEL_SERIES) baselines[name] = metricRow(series);
  return {
    dataset: {
      ref: `${dataset.dataset_name}@${dataset.dataset_version}`,
      sha256: dataset.metadata.sha256,
      knowledge_cutoff: dataset.knowledge_cutoff.toISOString(),
      rows: cols.rowCount,
    },
    model: { type: m.type, model_id: m.modelId, backend: m.backend },
    walk_forward: {
      range: m.range,
      train_window: m.trainWindow,
      folds: result.folds.map((f) => ({
        season: f.testSeason,
        train_seasons: [...f.trainSeasons],
        train_rows: f.trainRows,
        test_rows: f.testRows,
        compared_rows: f.comparedRows,
        info: f.info,
      })),
      skipped: result.plan.skipped.map((s) => ({ ...s })),
    },
    overall: overall?.[MODEL_SERIES] ? metricRow(overall[MODEL_SERIES]) : null,
    baselines,
    per_season: result.folds
      .filter((f) => f.metrics?.[MODEL_SERIES])
      .map((f) => ({
        season: f.testSeason,
        ...metricRow(f.metrics![MODEL_SERIES]!),
        baselines: Object.fromEntries(
          Object.entries(f.metrics!)
            .filter(([name]) => name !== MODEL_SERIES)
            .map(([name, s]) => [name, metricRow(s)]),
        ),
      })),
    calibration: overall?.[MODEL_SERIES] ? [...overall[MODEL_SERIES].calibration] : [],
    compared_rows: result.overall.comparedRows,
    excluded_rows: result.overall.excludedRows,
  };
}

async function writeArtifacts(
  dir: string,
  a: {
    type: TrainableType;
    hp: unknown;
    X: Float64Array[];
    cols: DatasetColumns;
    featureNames: readonly string[];
    result: WalkForwardResult;
    metrics: RunMetrics;
    rangeTo: number;
  },
): Promise<Record<string, string>> {
  fs.mkdirSync(dir, { recursive: true });
  const out: Record<string, string> = { dir };
  if (a.type === 'logistic' || a.type === 'mlp') {
    // The deployable model: fitted on every season up to the end of the evaluated range.
    const rows: number[] = [];
    a.cols.season.forEach((s, i) => s <= a.rangeTo && rows.push(i));
    const X = a.X.map((c) => Float64Array.from(rows, (r) => c[r]!));
    const y = Float32Array.from(rows, (r) => a.cols.target[r]!);
    const model = await trainModel(a.type, a.hp as never, X, y, { featureNames: a.featureNames });
    try {
      out['model'] = (await saveModel(model, path.join(dir, 'model'))).dir;
    } finally {
      model.dispose();
    }
  }
  out['predictions'] = await writePredictions(path.join(dir, 'predictions.arrow'), a.cols, a.result);
  const calibration = walkForwardCalibrationSvg(a.result);
  if (calibration) {
    out['calibration_plot'] = path.join(dir, 'calibration.svg');
    fs.writeFileSync(out['calibration_plot'], calibration);
  }
  out['season_brier_plot'] = path.join(dir, 'brier-by-season.svg');
  fs.writeFileSync(out['season_brier_plot'], walkForwardBrierSvg(a.result));
  out['metrics'] = path.join(dir, 'metrics.json');
  fs.writeFileSync(out['metrics'], `${JSON.stringify(a.metrics, null, 2)}\n`);
  return out;
}

/** Out-of-sample predictions as Arrow: the dataset's key columns, then one column per series. */
async function writePredictions(file: string, cols: DatasetColumns, result: WalkForwardResult): Promise<string> {
  const names = Object.keys(result.predictions.series);
  const rows = Array.from(result.predictions.rows);
  const writer = await createDatasetWriter(file, {
    featureColumns: [...names, 'compared'],
    metadata: new Map([['precog.kind', 'predictions']]),
  });
  try {
    await writer.writeBatch({
      eventId: rows.map((r) => cols.eventId[r]!),
      labelTime: rows.map((r) => cols.labelTime[r]!),
      season: rows.map((r) => cols.season[r]!),
      homeTeam: rows.map((r) => cols.homeTeam[r] ?? null),
      awayTeam: rows.map((r) => cols.awayTeam[r] ?? null),
      target: rows.map((r) => cols.target[r]!),
      features: [...names.map((n) => result.predictions.series[n]!), Float64Array.from(result.predictions.compared)],
    });
    return (await writer.finish()).path;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
