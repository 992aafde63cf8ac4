import fs from 'node:fs';
import { ingestFile } from '../src/features/ingest.js';
import type { BenchDb } from './bench-db.js';
import type { BenchData } from './generate.js';
import type { DuckDbReference } from './reference/duckdb-asof.js';
import type { BenchProblem } from './report.js';
import type { BenchRow } from './result.js';
import { runDatasetScenario } from './scenarios/dataset-build.js';
import { runIngestScenario } from './scenarios/ingest.js';
import { runPeakRssScenario } from './scenarios/peak-rss.js';
import { runScd2Scenario } from './scenarios/scd2-updates.js';
import { loadGames, seedFeatureStore } from './seed.js';

/** Scenarios that can be selected with `--only`. */
export const SCENARIOS = ['ingest', 'dataset', 'scd2', 'arrow', 'rss'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Where a run collects its rows and problems. */
export interface Collector {
  readonly rows: BenchRow[];
  readonly skipped: BenchProblem[];
  readonly errors: BenchProblem[];
  log(message: string): void;
}

/** Runs `fn`, recording a failure as an error of `scenario` instead of stopping the run. */
export async function attempt<T>(collector: Collector, scenario: string, engine: string, fn: () => Promise<T>): Promise<T | undefined> {
  collector.log(`${engine}: ${scenario} …`);
  try {
    return await fn();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    collector.errors.push({ scenario, engine, reason: reason.split('\n')[0]!.slice(0, 500) });
    collector.log(`${engine}: ${scenario} failed: ${reason}`);
    return undefined;
  }
}

export interface EngineRunOptions {
  readonly scenarios: ReadonlySet<ScenarioName>;
  /** Whether this engine also runs the peak-RSS build (it closes the database first). */
  readonly rss: boolean;
  readonly duck: DuckDbReference | undefined;
}

/**
 * Runs scenarios 1–3 (and 6 when asked) on one benchmark database, in data-flow order:
 * ingest (which also loads the features the builds read), dataset build, SCD2 updates,
 * then the peak-RSS build after loading the extra games.
 */
export async function runEngine(bench: BenchDb, data: BenchData, options: EngineRunOptions, collector: Collector): Promise<void> {
  const engine = bench.engine;
  const target = { engine, db: bench.db, url: bench.url };
  const teams = await seedFeatureStore(bench.db, data);
  const wants = (s: ScenarioName) => options.scenarios.has(s);
  const needsFeatures = wants('dataset') || (wants('rss') && options.rss);
  let featuresLoaded = false;
  if (wants('ingest')) {
    const outcome = await attempt(collector, 'ingest', engine, () => runIngestScenario(target, data));
    if (outcome) collector.rows.push(outcome.row);
    featuresLoaded = outcome !== undefined;
  } else if (needsFeatures) {
    collector.log(`${engine}: loading features (untimed) …`);
    await ingestFile(bench.db, data.featuresCsv);
    featuresLoaded = true;
  }
  if (needsFeatures && !featuresLoaded) {
    collector.skipped.push({ scenario: 'dataset build / peak RSS', engine, reason: 'the features could not be ingested' });
    return;
  }
  if (needsFeatures) await loadGames(bench.db, data.gamesCsv, teams);
  if (wants('dataset') && options.duck) {
    const duck = options.duck;
    const outcome = await attempt(collector, 'dataset build', engine, () => runDatasetScenario(target, data, duck));
    if (outcome) {
      collector.rows.push(outcome.row);
      fs.rmSync(outcome.dir, { recursive: true, force: true });
    }
  }
  if (wants('scd2')) {
    const row = await attempt(collector, 'scd2 updates', engine, () => runScd2Scenario(target, data.scale));
    if (row) collector.rows.push(row);
  }
  if (wants('rss') && options.rss) {
    collector.log(`${engine}: loading ${data.rssGames} more games (untimed) …`);
    await loadGames(bench.db, data.rssGamesCsv, teams);
    await bench.close();
    const row = await attempt(collector, 'peak RSS build', engine, () => runPeakRssScenario(engine, bench.config, data));
    if (row) collector.rows.push(row);
  }
}
