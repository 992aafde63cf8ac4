import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/datasets/arrow-dataset-reader.js';
import { createPgliteBenchDb } from '../../bench/bench-db.js';
import { ensureBenchData, type BenchData } from '../../bench/generate.js';
import { differencesFromBareTable } from '../../bench/reference/bare-copy.js';
import { createDuckDbReference, type DuckDbReference } from '../../bench/reference/duckdb-asof.js';
import type { BenchRow } from '../../bench/result.js';
import { TINY_SCALE, featureRowCount } from '../../bench/scale.js';
import { runArrowScenario } from '../../bench/scenarios/arrow-io.js';
import { runDatasetScenario } from '../../bench/scenarios/dataset-build.js';
import { engineRatioRows } from '../../bench/scenarios/engine-ratio.js';
import { runIngestScenario } from '../../bench/scenarios/ingest.js';
import { runPeakRssScenario } from '../../bench/scenarios/peak-rss.js';
import { runScd2Scenario } from '../../bench/scenarios/scd2-updates.js';
import { scd2Batches, scd2FinalState } from '../../bench/scd2-workload.js';
import { loadGames, seedFeatureStore } from '../../bench/seed.js';
import type { BenchTarget } from '../../bench/target.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { tempDir } from '../support/fixtures.js';

const cacheRoot = tempDir('precog-bench-test-');
let data: BenchData;
beforeAll(() => {
  data = ensureBenchData(TINY_SCALE, cacheRoot);
});
afterAll(() => fs.rmSync(cacheRoot, { recursive: true, force: true }));

describe('bench data generator', () => {
  it('writes the scale’s row counts, deterministically', () => {
    expect(data.featureRows).toBe(featureRowCount(TINY_SCALE));
    const lines = (file: string) => fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const features = lines(data.featuresCsv);
    expect(features[0]).toBe('feature,entity,timestamp,value,available_at');
    expect(features).toHaveLength(data.featureRows + 1);
    expect(lines(data.gamesCsv)).toHaveLength(TINY_SCALE.labels + 1);
    expect(lines(data.rssGamesCsv)).toHaveLength(TINY_SCALE.rssLabels - TINY_SCALE.labels + 1);
    // every (feature, team, timestamp) once: the history has no corrections
    expect(new Set(features.slice(1).map((l) => l.split(',').slice(0, 3).join())).size).toBe(data.featureRows);

    const again = tempDir('precog-bench-test-');
    try {
      const other = ensureBenchData(TINY_SCALE, again);
      for (const file of ['features.csv', 'games.csv', 'rss-games.csv']) {
        expect(fs.readFileSync(path.join(other.dir, file)).equals(fs.readFileSync(path.join(data.dir, file)))).toBe(true);
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it('reuses a complete cache', () => {
    const before = fs.statSync(data.featuresCsv).mtimeMs;
    expect(ensureBenchData(TINY_SCALE, cacheRoot).featuresCsv).toBe(data.featuresCsv);
    expect(fs.statSync(data.featuresCsv).mtimeMs).toBe(before);
  });
});

describeEachEngine('bench scenarios', (engine) => {
  let db: TestDatabase;
  let target: BenchTarget;
  let teams: Map<string, number>;
  let duck: DuckDbReference;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    target = { engine, db, url: db.url };
    teams = await seedFeatureStore(db, data);
    duck = await createDuckDbReference(data);
  });
  afterAll(async () => {
    duck?.close();
    await db?.dispose();
  });

  it('ingest stores the same rows and values as the reference COPY', async () => {
    const outcome = await runIngestScenario(target, data);
    expect(outcome.report.inserted).toBe(data.featureRows);
    expect(outcome.referenceRows).toBe(data.featureRows);
    expect(await differencesFromBareTable(target)).toBe(0);
    expect(outcome.row.rows).toBe(data.featureRows);
  });

  it('the dataset equals DuckDB’s ASOF join row by row and value by value', async () => {
    await loadGames(db, data.gamesCsv, teams);
    const outcome = await runDatasetScenario(target, data, duck);
    try {
      const file = await openDataset(outcome.build.dataset.metadata.file_path);
      const built = await file.readColumns();
      const ref = outcome.reference;
      expect(built.rowCount).toBe(TINY_SCALE.labels);
      expect(ref.rowCount).toBe(TINY_SCALE.labels);
      expect(built.eventId).toEqual(ref.eventId);
      expect(Array.from(built.labelTime)).toEqual(Array.from(ref.labelTime));
      expect(built.features.map((f) => f.name)).toEqual(ref.features.map((f) => f.name));
      let compared = 0;
      built.features.forEach((column, c) => {
        const expected = ref.features[c]!.values;
        for (let i = 0; i < built.rowCount; i++) {
          // NaN marks null on both sides; toBe compares with Object.is (NaN equals NaN)
          expect(column.values[i], `${column.name} row ${i}`).toBe(expected[i]);
          if (!Number.isNaN(expected[i])) compared++;
        }
      });
      // most lookups find a value, a few early ones do not: both cases are covered
      expect(compared).toBeGreaterThan(built.rowCount * built.features.length * 0.8);
      expect(compared).toBeLessThan(built.rowCount * built.features.length);
    } finally {
      fs.rmSync(outcome.dir, { recursive: true, force: true });
    }
  });

  it('SCD2 updates end in the same current values as the plain UPDATEs', async () => {
    const row = await runScd2Scenario(target, TINY_SCALE);
    expect(row.rows).toBe(TINY_SCALE.scd2Updates);
    const state = await scd2FinalState(target);
    expect(state).toEqual({ differences: 0, versions: TINY_SCALE.scd2Keys + TINY_SCALE.scd2Updates, current: TINY_SCALE.scd2Keys });
    const last = scd2Batches(TINY_SCALE).at(-1)!;
    const stored = await db.db
      .selectFrom('markets')
      .select(['market_id', 'yes_price'])
      .where('market_id', '=', last[0]!.marketId)
      .where('row_current_ind', '=', true)
      .executeTakeFirstOrThrow();
    expect(stored.yes_price).toBe(last[0]!.yesPrice);
  });
});

describe('peak-RSS scenario', () => {
  it('builds every generated game in a child process and reports its peak RSS', async () => {
    const bench = await createPgliteBenchDb();
    try {
      const teams = await seedFeatureStore(bench.db, data);
      const { ingestFile } = await import('../../src/features/ingest.js');
      await ingestFile(bench.db, data.featuresCsv);
      await loadGames(bench.db, data.gamesCsv, teams);
      await loadGames(bench.db, data.rssGamesCsv, teams);
      await bench.close();
      const row = await runPeakRssScenario('pglite', bench.config, data);
      expect(row.rows).toBe(TINY_SCALE.rssLabels);
      expect(row.note).toMatch(/peak RSS \d+ MiB/);
    } finally {
      await bench.dispose();
    }
  });
});

describe('arrow write/read scenario', () => {
  it('reads back exactly the rows it wrote', async () => {
    const outcome = await runArrowScenario(TINY_SCALE);
    expect(outcome.rows.map((r) => r.scenario)).toEqual(['arrow write', 'arrow read']);
    const read = outcome.read;
    expect(read.rowCount).toBe(TINY_SCALE.arrowRows);
    const written = outcome.written;
    expect(read.eventId).toEqual(written.flatMap((b) => [...b.eventId]));
    expect(read.awayTeam).toEqual(written.flatMap((b) => [...b.awayTeam]));
    read.features.forEach((column, f) => {
      const expected = written.flatMap((b) => Array.from(b.features[f]!));
      expect(Array.from(column.values)).toEqual(expected);
    });
  });
});

describe('engine ratio rows', () => {
  const row = (scenario: string, engine: string, seconds: number) => ({ scenario, engine, rows: 10, seconds }) as BenchRow;

  it('compares PGlite with the server per scenario and skips a scenario measured on one engine', () => {
    const rows = engineRatioRows([
      row('ingest', 'postgres', 2),
      row('ingest', 'pglite', 5),
      row('dataset build', 'postgres', 1),
      row('dataset build', 'pglite', 4),
      row('scd2 updates', 'pglite', 1),
    ]);
    expect(rows.map((r) => [r.scenario, r.ratio, r.pass])).toEqual([
      ['pglite vs server: ingest', 2.5, true],
      ['pglite vs server: dataset build', 4, false],
    ]);
  });
});
