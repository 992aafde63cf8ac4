import path from 'node:path';
import { openDatabase, type PrecogDb } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { buildDataset } from '../../datasets/dataset-builder.js';
import type { DatasetSpecInput } from '../../datasets/dataset-spec.js';
import { verifyDataset } from '../../datasets/dataset-verify.js';
import { generateLeague, type SyntheticLeague } from '../../entities/synthetic/league.js';
import { computeAndStoreTeamForm } from '../../features/compute/compute-team-form.js';
import { getFeatureValuesAt } from '../../features/point-in-time.js';
import { loadLeague } from '../../features/synthetic/load-league.js';
import { openDataset } from '../../datasets/arrow-dataset-reader.js';
import { detectEdges, type EdgeDetection } from '../edges/detect-edges.js';
import { runEloOnStore } from '../elo/elo-run.js';
import { trainRun, type RunMetrics } from '../train-run.js';
import { pearson } from './correlation.js';
import { claimDemoHome } from './demo-home.js';

/** Latent strength settings of the demo league (points; see league-options.ts). */
export const DEMO_STRENGTH = { initialSd: 9, weeklyDrift: 0.3, seasonCarryover: 0.75, seasonNoise: 6 } as const;

/** How big a demo league is, and where it goes. */
export interface DemoOptions {
  /**
   * `$PRECOG_HOME` of the demo: its database, datasets and artifacts (recreated). Only a new
   * or empty folder, or one an earlier demo made, is used (see {@link claimDemoHome}).
   */
  readonly home: string;
  readonly seed?: number;
  readonly teams?: number;
  readonly seasons?: number;
  /** MLP epochs (fewer for a quick run). */
  readonly mlpEpochs?: number;
  readonly onStep?: (step: string) => void;
}

/** One trained run in the summary. */
export interface DemoRun {
  readonly run_id: number;
  readonly model: string;
  readonly brier: number;
  readonly log_loss: number;
  readonly baselines: Record<string, { brier: number; log_loss: number }>;
  readonly seconds: number;
}

/** What the demo did and found. */
export interface DemoSummary {
  readonly home: string;
  readonly database: string;
  readonly league: { teams: number; seasons: number; games: number; market_versions: number };
  readonly features: { values: number; elo_version: string };
  readonly dataset: { ref: string; rows: number; file: string; sha256: string; verified: boolean };
  readonly runs: readonly DemoRun[];
  readonly edges: { detection: string; at: string; markets: number; found: number };
  /** The self-check: estimates against the league's latent truth. */
  readonly recovery: {
    /** Elo rating at each game's label time vs the team's latent strength then. */
    readonly elo_vs_latent_strength: number;
    /** Best model's out-of-sample probability vs the latent home win probability. */
    readonly model_vs_latent_probability: number;
  };
  readonly artifacts: string;
  readonly seconds: number;
}

/**
 * The whole Precog path on a fresh embedded database, with data it makes itself:
 * a synthetic league (latent strengths that drift, home advantage, injuries, markets that
 * converge on the truth) → features (market prices, injuries, team form, Elo) → a
 * point-in-time dataset (built, registered, verified) → logistic and MLP walk-forward
 * with the Elo and market baselines → edges of the best run against open markets → a
 * check that the estimates recover the latent truth the league was generated from.
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const step = options.onStep ?? (() => undefined);
  const started = performance.now();
  const home = path.resolve(options.home);
  const lock = await claimDemoHome(home);
  const db = await openDatabase({ engine: 'pglite', dataDir: path.join(home, 'precog-db'), lock }).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  try {
    await migrateToLatest(db.db);
    step('generating the league');
    const league = generateLeague({
      seed: options.seed ?? 7,
      teams: options.teams ?? 32,
      seasons: options.seasons ?? 10,
      // A league a little more predictable than the NFL, so a 10-season demo shows the
      // models separating from a coin flip and the self-check has signal to find.
      strength: DEMO_STRENGTH,
    });
    step(`loading ${league.games.length} games, ${league.markets.length} markets`);
    const loaded = await loadLeague(db, league);
    step('computing team-form features');
    const form = await computeAndStoreTeamForm(db, 'nfl');
    step('running Elo');
    const elo = await runEloOnStore(db, {
      preset: '538',
      overrides: { defaultInitialRating: 1500, revertTo: 1500, homeAdvantage: 55 },
    });
    step('building the dataset');
    const firstSeason = league.options.firstSeason;
    const lastSeason = firstSeason + league.options.seasons - 1;
    const spec = demoDatasetSpec(elo.features.rating, elo.features.probability, form.features, [firstSeason, lastSeason]);
    const { dataset } = await buildDataset(db, spec, home);
    const verified = await verifyDataset(db, `${dataset.dataset_name}@${dataset.dataset_version}`);
    const runs: DemoRun[] = [];
    const metricsByRun = new Map<number, RunMetrics>();
    for (const [model, hp] of [
      ['logistic', ['epochs=60']],
      ['mlp', [`epochs=${options.mlpEpochs ?? 40}`, 'hiddenUnits=16', 'dropout=0.1']],
    ] as const) {
      step(`training ${model} walk-forward`);
      const { run, metrics } = await trainRun(db, {
        dataset: `${dataset.dataset_name}@${dataset.dataset_version}`,
        model,
        hyperparameters: [...hp],
        walkForward: `${firstSeason + 2}:${lastSeason}`,
        home,
      });
      metricsByRun.set(run.run_id, metrics);
      runs.push({
        run_id: run.run_id,
        model,
        brier: metrics.overall!.brier,
        log_loss: metrics.overall!.log_loss,
        baselines: Object.fromEntries(Object.entries(metrics.baselines).map(([k, v]) => [k, { brier: v.brier, log_loss: v.log_loss }])),
        seconds: run.training_duration_seconds ?? 0,
      });
    }
    const best = [...runs].sort((a, b) => a.brier - b.brier)[0]!;
    step(`detecting edges of run ${best.run_id}`);
    const detection = await detectLastWeek(db, league, best.run_id);
    step('checking recovery of the latent truth');
    const recovery = {
      elo_vs_latent_strength: await eloRecovery(db, league, elo.features.rating),
      model_vs_latent_probability: await modelRecovery(db, league, best.run_id),
    };
    return {
      home,
      database: db.location,
      league: {
        teams: league.teams.length,
        seasons: league.options.seasons,
        games: league.games.length,
        market_versions: loaded.markets.versions,
      },
      features: { values: loaded.features.ingest.inserted + form.report.inserted + elo.store.inserted, elo_version: elo.version },
      dataset: {
        ref: `${dataset.dataset_name}@${dataset.dataset_version}`,
        rows: dataset.row_count,
        file: dataset.metadata.file_path,
        sha256: dataset.metadata.sha256,
        verified: verified.ok,
      },
      runs,
      edges: { detection: detection.calculation_run_id, at: detection.at, markets: detection.markets_priced, found: detection.edges.length },
      recovery,
      artifacts: path.join(home, 'artifacts'),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await db.close();
  }
}

/** The demo's dataset: every team-form feature for both teams, Elo, injuries. */
export function demoDatasetSpec(
  eloRating: string,
  eloProb: string,
  formFeatures: readonly string[],
  seasons: [number, number],
): DatasetSpecInput {
  return {
    name: 'demo_games',
    version: '1',
    sport: 'nfl',
    description: 'synthetic league: pre-game team form, Elo and injuries, labelled at kickoff - 1h',
    labels: { seasons, ties: 'exclude', label_offset: '1h' },
    features: [
      { feature: eloRating, role: 'both_teams', as: 'elo', diff: true },
      { feature: eloProb, role: 'event', as: 'elo_prob' },
      ...formFeatures.map((ref) => ({ feature: ref, role: 'both_teams' as const, diff: ref.startsWith('margin') || ref.startsWith('win_rate') })),
      { feature: 'qb_injured@1', role: 'both_teams' },
    ],
    mode: 'known',
  };
}

/** Edges of a run against the markets open two hours before the last week's kickoffs. */
async function detectLastWeek(db: PrecogDb, league: SyntheticLeague, runId: number): Promise<EdgeDetection> {
  const last = league.games[league.games.length - 1]!;
  const at = new Date(last.kickoff.getTime() - 2 * 3_600_000);
  return detectEdges(db, { runId, at });
}

async function eloRecovery(db: PrecogDb, league: SyntheticLeague, ratingRef: string): Promise<number> {
  // Skip the first season: every team starts level, so early ratings carry no signal yet.
  const games = league.games.filter((g) => g.season > league.options.firstSeason);
  const rows = games.flatMap((g) => [
    { entity: g.home, time: new Date(g.kickoff.getTime() - 3_600_000) },
    { entity: g.away, time: new Date(g.kickoff.getTime() - 3_600_000) },
  ]);
  const truth = games.flatMap((g) => [g.homeStrength, g.awayStrength]);
  const { values } = await getFeatureValuesAt(db.db, rows, [ratingRef], { mode: 'known' });
  const estimates = values[0]!.map((v) => v?.value ?? Number.NaN);
  const keep = estimates.map((_, i) => i).filter((i) => !Number.isNaN(estimates[i]!));
  return pearson(keep.map((i) => estimates[i]!), keep.map((i) => truth[i]!));
}

async function modelRecovery(db: PrecogDb, league: SyntheticLeague, runId: number): Promise<number> {
  const run = await db.db.selectFrom('model_training_runs').select('artifacts').where('run_id', '=', runId).executeTakeFirstOrThrow();
  const file = await openDataset((run.artifacts as { predictions: string }).predictions);
  const cols = await file.readColumns();
  const model = cols.features.find((f) => f.name === 'model')!;
  const truth = new Map(league.games.map((g) => [g.eventId, g.homeWinProbability]));
  const est: number[] = [];
  const lat: number[] = [];
  cols.eventId.forEach((id, i) => {
    const t = truth.get(id);
    if (t !== undefined && model.valid[i]) {
      est.push(model.values[i]!);
      lat.push(t);
    }
  });
  return pearson(est, lat);
}
