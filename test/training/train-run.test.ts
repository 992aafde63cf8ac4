import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDataset } from '../../src/datasets/arrow-dataset-reader.js';
import { buildDataset } from '../../src/datasets/dataset-builder.js';
import { generateLeague } from '../../src/entities/synthetic/league.js';
import { computeAndStoreTeamForm } from '../../src/features/compute/compute-team-form.js';
import { loadLeague } from '../../src/features/synthetic/load-league.js';
import { DEMO_STRENGTH, demoDatasetSpec } from '../../src/training/demo/demo-pipeline.js';
import { detectEdges } from '../../src/training/edges/detect-edges.js';
import { runEloOnStore } from '../../src/training/elo/elo-run.js';
import { loadModel } from '../../src/training/models/model-io.js';
import { getRun, reapDeadRuns, startRun } from '../../src/training/runs/run-log.js';
import { NothingScoredError } from '../../src/training/runs/errors.js';
import { trainRun } from '../../src/training/train-run.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { tempDir } from '../support/fixtures.js';

describeEachEngine('training runs', (engine) => {
  let db: TestDatabase;
  let home: string;
  const dataset = 'demo_games@1';
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    home = tempDir('precog-train-');
    const league = generateLeague({ seed: 3, teams: 10, seasons: 5, strength: DEMO_STRENGTH });
    await loadLeague(db, league);
    const form = await computeAndStoreTeamForm(db, 'nfl');
    const elo = await runEloOnStore(db, { preset: '538', overrides: { defaultInitialRating: 1500, revertTo: 1500 } });
    await buildDataset(db, demoDatasetSpec(elo.features.rating, elo.features.probability, form.features, [2015, 2019]), home);
  }, 300_000);
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('evaluates walk-forward without ever training on the predicted season, beside the baseline', async () => {
    const { run, metrics } = await trainRun(db, { dataset, model: 'logistic', walkForward: '2017:2019', home });
    expect(run.status).toBe('completed');
    expect(metrics.walk_forward.folds.map((f) => f.season)).toEqual([2017, 2018, 2019]);
    for (const fold of metrics.walk_forward.folds) {
      expect(fold.train_seasons.length).toBeGreaterThan(0);
      expect(Math.max(...fold.train_seasons)).toBeLessThan(fold.season);
    }
    expect(metrics.overall!.n).toBe(metrics.baselines['market']!.n);
    expect(metrics.per_season.map((s) => s.season)).toEqual([2017, 2018, 2019]);
    expect(metrics.dataset).toMatchObject({ ref: dataset });
    expect(run.training_duration_seconds).toBeGreaterThan(0);
    const artifacts = run.artifacts as Record<string, string>;
    for (const key of ['model', 'predictions', 'calibration_plot', 'season_brier_plot']) expect(fs.existsSync(artifacts[key]!)).toBe(true);
    expect(fs.readFileSync(artifacts['calibration_plot']!, 'utf8')).toMatch(/^<svg/);
  });

  it('is reproducible: the same seed gives identical metrics, and the saved model predicts the same', async () => {
    const a = await trainRun(db, { dataset, model: 'mlp', hyperparameters: ['epochs=10', 'hiddenUnits=8'], walkForward: '2018:2019', home });
    const b = await trainRun(db, { dataset, model: 'mlp', hyperparameters: ['epochs=10', 'hiddenUnits=8'], walkForward: '2018:2019', home });
    expect(b.metrics.overall).toEqual(a.metrics.overall);
    expect(b.run.model_id).toBe(a.run.model_id);
    const dir = (a.run.artifacts as Record<string, string>)['model']!;
    const again = (b.run.artifacts as Record<string, string>)['model']!;
    const [m1, m2] = [await loadModel(dir), await loadModel(again)];
    const file = await openDataset(path.join(home, 'datasets', 'demo_games', 'demo_games@1.arrow'));
    const cols = await file.readColumns();
    const X = cols.features.map((f) => f.values);
    expect(Array.from(m2.predict(X))).toEqual(Array.from(m1.predict(X)));
    m1.dispose();
    m2.dispose();
  });

  it('reads baselines at the dataset\'s cutoff: a rerun after corrections gives identical metrics, baselines included', async () => {
    const first = await trainRun(db, { dataset, model: 'logistic', walkForward: '2018:2019', home });
    // Every market price corrected after the dataset's cutoff: same timestamps, known later.
    await sql`insert into features_historical (feature_id, entity_type, market_id, "timestamp", available_at, feature_value, external_source)
              select h.feature_id, h.entity_type, h.market_id, h."timestamp", h.available_at + interval '1 second', 1 - h.feature_value, 'late-correction'
                from features_historical h join feature_definitions d using (feature_id)
               where d.feature_name = 'market_price'`.execute(db.db);
    const again = await trainRun(db, { dataset, model: 'logistic', walkForward: '2018:2019', home });
    expect(again.metrics.baselines).toEqual(first.metrics.baselines);
    expect(again.metrics.overall).toEqual(first.metrics.overall);
  });

  it('records a failed run with its error, and reaps a run whose process died', async () => {
    await expect(trainRun(db, { dataset, model: 'logistic', walkForward: '1990:1991', home })).rejects.toThrow();
    const failed = await db.db.selectFrom('model_training_runs').selectAll().where('status', '=', 'failed').execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error_message).toBeTruthy();
    expect(failed[0]!.completed_at).not.toBeNull();

    const modelId = failed[0]!.model_id;
    const orphan = await startRun(db.db, { modelId, datasetId: null, hyperparameters: {}, backend: null });
    // pretend it was started by a process that no longer exists
    await db.db.updateTable('model_training_runs').set({ pid: 2 ** 22 + 17 }).where('run_id', '=', orphan.run_id).execute();
    expect(await reapDeadRuns(db.db)).toEqual([orphan.run_id]);
    const reaped = await getRun(db.db, orphan.run_id);
    expect(reaped.status).toBe('failed');
    expect(reaped.error_message).toMatch(/died/);
  });

  it('fails a run that can score no game, naming the baselines, instead of completing it empty', async () => {
    // A baseline on a platform no market of the league is on has a value for no game.
    const error = await trainRun(db, { dataset, model: 'logistic', walkForward: '2019:2019', home, baselines: [
      { name: 'ghost', feature: 'market_price@1', kind: 'probability', role: 'market', platform: 'nowhere' },
    ] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NothingScoredError);
    expect((error as Error).message).toMatch(/scored no game of 2019:2019: the baselines ghost have no value on any of its \d+ test games/);
    const failed = await getRun(db.db, (error as NothingScoredError).facts['runId'] as number);
    expect(failed.status).toBe('failed');
    // Without baselines the same run scores every test game.
    const alone = await trainRun(db, { dataset, model: 'logistic', walkForward: '2019:2019', home, baselines: [] });
    expect(alone.run.status).toBe('completed');
    expect(alone.metrics.overall!.n).toBeGreaterThan(0);
    expect(alone.metrics.baselines).toEqual({});
  });

  it('detects edges against the market prices current at a time, under one calculation run', async () => {
    const runs = await db.db.selectFrom('model_training_runs').select(['run_id']).where('status', '=', 'completed').orderBy('run_id').execute();
    // two hours before the last week's kickoff: its markets are open
    const last = await db.db.selectFrom('events').select((eb) => eb.fn.max('start_time').as('t')).executeTakeFirstOrThrow();
    const at = new Date((last.t as Date).getTime() - 2 * 3_600_000);
    const detection = await detectEdges(db, { runId: runs[0]!.run_id, at, minEdge: 0 });
    expect(detection.markets_priced).toBeGreaterThan(0);
    expect(detection.edges.length).toBe(detection.markets_priced);
    const stored = await db.db.selectFrom('current_edges').selectAll().execute();
    expect(new Set(stored.map((e) => e.calculation_run_id))).toEqual(new Set([detection.calculation_run_id]));
    for (const e of stored) expect(Number(e.expected_value)).toBeCloseTo(Number(e.true_win_probability) - Number(e.market_price), 3);
  });
});
