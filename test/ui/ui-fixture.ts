import crypto from 'node:crypto';
import type { PrecogDb } from '../../src/db/connection.js';
import { buildDataset } from '../../src/datasets/dataset-builder.js';
import { createEdge, updateEdge } from '../../src/entities/trading/edges.js';
import { recordMarketSnapshot } from '../../src/entities/trading/markets.js';
import { registerProbabilityModel } from '../../src/entities/trading/probability-models.js';
import { baseSpec, ingestBeforeAndAfter, seedLeague } from '../datasets/dataset-fixture.js';

/** What {@link seedUiWorld} created, by id. */
export interface UiWorld {
  readonly datasetRef: string;
  readonly datasetId: number;
  readonly logisticModelId: number;
  /** The logistic run: full metrics (overall, per_season out of order, baselines, calibration). */
  readonly runA: number;
  /** The MLP run: overall and per_season only (no calibration, no baselines). */
  readonly runB: number;
  /** A running run: no metrics at all. */
  readonly runC: number;
  readonly olderDetection: string;
  readonly latestDetection: string;
}

export const RUN_A_METRICS = {
  overall: { brier: 0.21, log_loss: 0.61, accuracy: 0.66, ece: 0.04, n_games: 7 },
  per_season: [
    { season: 2022, brier: 0.22, log_loss: 0.63 },
    { season: 2021, brier: 0.2, log_loss: 0.59, baselines: { elo_538: { brier: 0.23 } } },
  ],
  baselines: {
    elo_538: { brier: 0.23, log_loss: 0.65, accuracy: 0.6 },
    closing_line: { brier: 0.205, log_loss: 0.6, accuracy: 0.64 },
  },
  calibration: [
    { index: 1, lower: 0.5, upper: 1, count: 4, meanProbability: 0.7, observedRate: 0.75 },
    { index: 0, lower: 0, upper: 0.5, count: 3, meanProbability: 0.3, observedRate: 1 / 3 },
    { index: 2, lower: 'not a number', upper: 1, count: 1 },
  ],
};

export const RUN_B_METRICS = {
  overall: { brier: 0.19, log_loss: 0.57, accuracy: 0.71 },
  per_season: [
    { season: 2021, brier: 0.18, log_loss: 0.55 },
    { season: 2022, brier: 0.2, log_loss: 'n/a' },
  ],
};

/**
 * A demo-sized world for the UI: the dataset fixture's league, features and dataset
 * `games@1`; models `logistic_nfl@1` and `mlp_nfl@1`; runs A (completed, full metrics),
 * B (completed, partial metrics) and C (running); markets on G8 and G7 with edges from
 * two detection runs (the later one re-prices one edge and adds another).
 */
export async function seedUiWorld(db: PrecogDb, home: string): Promise<UiWorld> {
  await seedLeague(db);
  await ingestBeforeAndAfter(db);
  const { dataset } = await buildDataset(db, baseSpec, home);
  const logistic = await registerProbabilityModel(db.db, {
    model_name: 'logistic_nfl',
    model_version: '1',
    approach: 'regression',
    domain: 'nfl',
    config: { features: ['rating', 'line'] },
  });
  const mlp = await registerProbabilityModel(db.db, {
    model_name: 'mlp_nfl',
    model_version: '1',
    approach: 'neural_net',
    domain: 'nfl',
    config: { layers: [16, 8] },
  });
  const insertRun = async (values: {
    model_id: number;
    hyperparameters: unknown;
    metrics: unknown;
    status: string;
    seconds: number | null;
    at: string;
  }) =>
    (
      await db.db
        .insertInto('model_training_runs')
        .values({
          model_id: values.model_id,
          dataset_id: dataset.dataset_id,
          hyperparameters: JSON.stringify(values.hyperparameters),
          metrics: values.metrics === null ? null : JSON.stringify(values.metrics),
          training_duration_seconds: values.seconds,
          status: values.status,
          backend: 'wasm',
          created_at: values.at,
          completed_at: values.status === 'running' ? null : new Date(Date.parse(values.at) + (values.seconds ?? 0) * 1000),
        })
        .returning('run_id')
        .executeTakeFirstOrThrow()
    ).run_id;
  const runA = await insertRun({
    model_id: logistic.model_id,
    hyperparameters: { learning_rate: 0.1, l2: 0.01, epochs: 50, optimizer: { name: 'adam', beta1: 0.9 } },
    metrics: RUN_A_METRICS,
    status: 'completed',
    seconds: 12.5,
    at: '2024-03-01T10:00:00Z',
  });
  const runB = await insertRun({
    model_id: mlp.model_id,
    hyperparameters: { learning_rate: 0.01, l2: 0.01, epochs: 200, hidden: [16, 8] },
    metrics: RUN_B_METRICS,
    status: 'completed',
    seconds: 95,
    at: '2024-03-02T10:00:00Z',
  });
  const runC = await insertRun({
    model_id: mlp.model_id,
    hyperparameters: { learning_rate: 0.001 },
    metrics: null,
    status: 'running',
    seconds: null,
    at: '2024-03-03T10:00:00Z',
  });

  for (const [game, yes] of [
    ['G8', '0.5500'],
    ['G7', '0.3000'],
  ] as const) {
    await recordMarketSnapshot(
      db.db,
      {
        market_id: `MKT-${game}`,
        platform_id: 'kalshi',
        event_id: game,
        external_id: `MKT-${game}`,
        ticker: `NFL-${game}`,
        title: `home team wins ${game}`,
        market_type: 'binary',
        status: 'open',
        yes_price: yes,
        no_price: (1 - Number(yes)).toFixed(4),
      },
      { at: new Date('2024-03-01T00:00:00Z') },
    );
  }
  const olderDetection = crypto.randomUUID();
  const latestDetection = crypto.randomUUID();
  const edge = (edgeId: string, market: string, run: string, p: string, price: string, ev: string) => ({
    edge_id: edgeId,
    calculation_run_id: run,
    market_id: market,
    model_id: logistic.model_id,
    training_run_id: runA,
    side: 'yes' as const,
    true_win_probability: p,
    market_implied_probability: price,
    market_price: price,
    expected_value: ev,
    confidence_level: 'medium' as const,
    recommended_action: 'alert' as const,
  });
  await createEdge(db.db, edge('E-G8', 'MKT-G8', olderDetection, '0.6000', '0.5500', '0.0500'), {
    at: new Date('2024-03-05T00:00:00Z'),
  });
  await updateEdge(
    db.db,
    'E-G8',
    { calculation_run_id: latestDetection, true_win_probability: '0.6500', expected_value: '0.1000' },
    { at: new Date('2024-03-06T00:00:00Z') },
  );
  await createEdge(db.db, edge('E-G7', 'MKT-G7', latestDetection, '0.2500', '0.3000', '-0.0500'), {
    at: new Date('2024-03-06T00:00:01Z'),
  });
  return {
    datasetRef: 'games@1',
    datasetId: dataset.dataset_id,
    logisticModelId: logistic.model_id,
    runA,
    runB,
    runC,
    olderDetection,
    latestDetection,
  };
}
