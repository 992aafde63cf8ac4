import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type {
  DatasetDetail,
  DatasetListItem,
  EdgesResponse,
  FeatureDetail,
  FeatureListItem,
  FeatureValuesResponse,
  RunComparison,
  RunDetail,
  RunSummary,
} from '../../src/ui/api-types.js';
import { createUiApp } from '../../src/ui/ui-app.js';
import { createUiServer, servedHostNames, type UiServer } from '../../src/ui/ui-server.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { tempDir, writeFile } from '../support/fixtures.js';
import { seedUiWorld, type UiWorld } from './ui-fixture.js';

interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly type: string;
}

async function get<T>(server: UiServer, url: string): Promise<Answer<T>> {
  const response = await fetch(`${server.url}${url}`);
  const type = response.headers.get('content-type') ?? '';
  const body = (type.includes('json') ? await response.json() : await response.text()) as T;
  return { status: response.status, body, type };
}

/** An error answer: the status, JSON `{ error }` matching `message`, and no stack trace. */
async function expectError(server: UiServer, url: string, status: number, message: RegExp): Promise<void> {
  const answer = await get<{ error: string }>(server, url);
  expect(answer.status, url).toBe(status);
  expect(answer.type).toContain('application/json');
  expect(Object.keys(answer.body)).toEqual(['error']);
  expect(answer.body.error).toMatch(message);
  expect(answer.body.error).not.toMatch(/\n\s+at /);
}

describeEachEngine('ui api', (engine) => {
  let db: TestDatabase;
  let home: string;
  let webRoot: string;
  let server: UiServer;
  let world: UiWorld;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    home = tempDir();
    webRoot = tempDir('precog-web-');
    writeFile(webRoot, 'index.html', '<!doctype html><title>Precog</title><div id="app"></div>');
    fs.mkdirSync(path.join(webRoot, 'assets'));
    writeFile(path.join(webRoot, 'assets'), 'index-abc.js', 'console.log("precog")');
    world = await seedUiWorld(db, home);
    server = await createUiServer(db.db, { port: 0, webRoot });
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 on the port the system chose', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:4600$/);
  });

  describe('features', () => {
    it('lists definitions with entity type, sources, value counts and time range', async () => {
      const { status, body } = await get<FeatureListItem[]>(server, '/api/features');
      expect(status).toBe(200);
      expect(body.map((f) => f.ref)).toEqual(['line@1', 'rating@1']);
      const rating = body.find((f) => f.ref === 'rating@1')!;
      // 8 games × 2 teams × (one value before and one after the label time)
      expect(rating).toMatchObject({ entity_type: 'team', sport: 'nfl', value_count: 32, entity_count: 4, sources: ['import'] });
      expect(rating.first_timestamp).toBe('2021-09-12T16:59:59.999Z');
      expect(Date.parse(rating.last_timestamp!)).toBeGreaterThan(Date.parse(rating.first_timestamp!));
    });

    it('filters by entity type and rejects unknown filters', async () => {
      const { body } = await get<FeatureListItem[]>(server, '/api/features?entity_type=event');
      expect(body.map((f) => f.ref)).toEqual(['line@1']);
      await expectError(server, '/api/features?entity_type=planet', 400, /query string: entity_type/);
      await expectError(server, '/api/features?bogus=1', 400, /query string: .*bogus/);
    });

    it('shows one version with its definition and entities named as ?entity= accepts them', async () => {
      const { status, body } = await get<FeatureDetail>(server, '/api/features/rating@1');
      expect(status).toBe(200);
      expect(body).toMatchObject({ ref: 'rating@1', data_type: 'float', calculation_method: { method: 'test', parameters: {} } });
      expect(body.entities.map((e) => e.entity).sort()).toEqual(['AAA', 'BBB', 'CCC', 'DDD']);
      expect(body.entities.find((e) => e.entity === 'AAA')).toEqual({ entity: 'AAA', label: 'Team AAA', value_count: 6 });
    });

    it("returns one entity's event-time history, oldest first", async () => {
      const { status, body } = await get<FeatureValuesResponse>(server, '/api/features/rating@1/values?entity=AAA');
      expect(status).toBe(200);
      // AAA played in weeks 0, 3 and 4: a "before" value 100 + w and an "after" value −1 each.
      expect(body.points.map((p) => p.value)).toEqual([100, -1, 103, -1, 104, -1]);
      expect(body.points.every((p) => p.versions === 1)).toBe(true);
      expect(body.truncated).toBe(false);
      const times = body.points.map((p) => Date.parse(p.timestamp));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const limited = await get<FeatureValuesResponse>(server, '/api/features/rating@1/values?entity=aaa&limit=2');
      expect(limited.body.points.map((p) => p.value)).toEqual([104, -1]);
      expect(limited.body.truncated).toBe(true);
    });

    it('answers 404 for an unknown feature or entity and 400 for bad input', async () => {
      await expectError(server, '/api/features/nope@1', 404, /feature nope@1 is not registered/);
      await expectError(server, '/api/features/nope@1/values?entity=AAA', 404, /nope@1 is not registered/);
      await expectError(server, '/api/features/rating@1/values?entity=ZZZ', 404, /rating@1: unknown team: ZZZ/);
      await expectError(server, '/api/features/not-a-ref', 400, /not a feature reference of the form name@version/);
      await expectError(server, '/api/features/rating@1/values', 400, /query string: entity/);
      await expectError(server, '/api/features/rating@1/values?entity=AAA&limit=0', 400, /limit/);
    });
  });

  describe('datasets', () => {
    it('lists datasets with row count and sha256', async () => {
      const { body } = await get<DatasetListItem[]>(server, '/api/datasets');
      expect(body).toHaveLength(1);
      expect(body[0]).toMatchObject({ ref: 'games@1', row_count: 7, feature_count: 2, target_variable: 'home_win' });
      expect(body[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it('shows spec, feature list, leakage audit with null fractions, and the runs trained on it', async () => {
      const { status, body } = await get<DatasetDetail>(server, '/api/datasets/games@1');
      expect(status).toBe(200);
      expect(body.features.map((f) => f.ref)).toEqual(['rating@1', 'line@1']);
      expect(body.spec).toMatchObject({ name: 'games', version: '1', mode: 'known' });
      expect(body.audit.passed).toBe(true);
      expect(body.audit.problems).toEqual([]);
      expect(body.audit.columns.length).toBeGreaterThanOrEqual(3);
      for (const c of body.audit.columns) {
        expect(c.null_fraction).toBe(0);
        expect(c.max_lead_ms).toBeLessThanOrEqual(0);
      }
      expect(body.runs.map((r) => r.run_id)).toEqual([world.runA, world.runB, world.runC]);
      expect(body.file_path).toMatch(/\.arrow$/);
    });

    it('answers 404 for an unknown dataset and 400 for a malformed ref', async () => {
      await expectError(server, '/api/datasets/games@9', 404, /dataset games@9 is not registered/);
      await expectError(server, '/api/datasets/Games', 400, /not a dataset reference/);
    });
  });

  describe('runs', () => {
    it('lists runs with status, model, dataset, duration and overall metrics vs baselines', async () => {
      const { status, body } = await get<RunSummary[]>(server, '/api/runs');
      expect(status).toBe(200);
      expect(body.map((r) => r.run_id)).toEqual([world.runC, world.runB, world.runA]);
      const a = body.find((r) => r.run_id === world.runA)!;
      expect(a).toMatchObject({
        status: 'completed',
        model: { ref: 'logistic_nfl@1', approach: 'regression' },
        dataset: { dataset_id: world.datasetId, ref: 'games@1' },
        duration_seconds: 12.5,
        overall: { brier: 0.21, log_loss: 0.61 },
        baselines: { elo_538: { brier: 0.23 }, closing_line: { brier: 0.205 } },
      });
      expect(a).not.toHaveProperty('hyperparameters');
      const c = body.find((r) => r.run_id === world.runC)!;
      expect(c).toMatchObject({ status: 'running', overall: {}, baselines: {}, completed_at: null, duration_seconds: null });
    });

    it('sorts by a metric (runs without it last) and filters by status and text', async () => {
      const byBrier = await get<RunSummary[]>(server, '/api/runs?sort=brier&order=asc');
      expect(byBrier.body.map((r) => r.run_id)).toEqual([world.runB, world.runA, world.runC]);
      const desc = await get<RunSummary[]>(server, '/api/runs?sort=brier&order=desc');
      expect(desc.body.map((r) => r.run_id)).toEqual([world.runA, world.runB, world.runC]);
      const running = await get<RunSummary[]>(server, '/api/runs?status=running');
      expect(running.body.map((r) => r.run_id)).toEqual([world.runC]);
      const text = await get<RunSummary[]>(server, '/api/runs?q=LOGISTIC');
      expect(text.body.map((r) => r.run_id)).toEqual([world.runA]);
      const dataset = await get<RunSummary[]>(server, '/api/runs?dataset=games@2');
      expect(dataset.body).toEqual([]);
      await expectError(server, '/api/runs?sort=colour', 400, /query string: sort: .*brier/);
      await expectError(server, '/api/runs?status=crashed', 400, /query string: status/);
      await expectError(server, '/api/runs?limit=5000', 400, /limit/);
    });

    it('shows one run with normalized metrics: seasons and bins sorted, malformed entries dropped', async () => {
      const { body } = await get<RunDetail>(server, `/api/runs/${world.runA}`);
      expect(body.hyperparameters).toEqual({ learning_rate: 0.1, l2: 0.01, epochs: 50, optimizer: { name: 'adam', beta1: 0.9 } });
      expect(body.metrics.per_season).toEqual([
        { season: '2021', metrics: { brier: 0.2, log_loss: 0.59 }, baselines: { elo_538: { brier: 0.23 } } },
        { season: '2022', metrics: { brier: 0.22, log_loss: 0.63 }, baselines: {} },
      ]);
      expect(body.metrics.calibration).toEqual([
        { lower: 0, upper: 0.5, count: 3, meanProbability: 0.3, observedRate: 1 / 3 },
        { lower: 0.5, upper: 1, count: 4, meanProbability: 0.7, observedRate: 0.75 },
      ]);
      expect(body.metrics.overall).toEqual({ brier: 0.21, log_loss: 0.61, accuracy: 0.66, ece: 0.04, n_games: 7 });
      expect(body.raw_metrics).toMatchObject({ overall: { brier: 0.21 } });
    });

    it('degrades gracefully when parts of the metrics are missing', async () => {
      const b = await get<RunDetail>(server, `/api/runs/${world.runB}`);
      expect(b.body.metrics.calibration).toEqual([]);
      expect(b.body.metrics.baselines).toEqual({});
      expect(b.body.metrics.per_season[1]).toEqual({ season: '2022', metrics: { brier: 0.2 }, baselines: {} });
      const c = await get<RunDetail>(server, `/api/runs/${world.runC}`);
      expect(c.status).toBe(200);
      expect(c.body.metrics).toEqual({ overall: {}, per_season: [], baselines: {}, calibration: [] });
    });

    it('answers 404 for an unknown run and 400 for an id that is not one', async () => {
      await expectError(server, '/api/runs/999999', 404, /^no training run with id 999999$/);
      await expectError(server, '/api/runs/abc', 400, /run id: must be a positive integer/);
      await expectError(server, '/api/runs/1e3', 400, /run id/);
      await expectError(server, '/api/runs/12345678901234567890', 400, /run id/);
    });

    it('compares runs: hyperparameters and metrics aligned, differences and winners marked', async () => {
      const { status, body } = await get<RunComparison>(server, `/api/runs/compare?ids=${world.runA},${world.runB}`);
      expect(status).toBe(200);
      expect(body.runs.map((r) => r.run_id)).toEqual([world.runA, world.runB]);
      const hp = new Map(body.hyperparameters.map((r) => [r.key, r]));
      expect(hp.get('learning_rate')).toEqual({ key: 'learning_rate', values: [0.1, 0.01], differs: true, best: null });
      expect(hp.get('l2')).toMatchObject({ values: [0.01, 0.01], differs: false });
      expect(hp.get('optimizer.name')).toMatchObject({ values: ['adam', null], differs: true });
      expect(hp.get('hidden')).toMatchObject({ values: [null, '[16,8]'] });
      const m = new Map(body.metrics.map((r) => [r.key, r]));
      expect(m.get('overall.brier')).toMatchObject({ values: [0.21, 0.19], best: 1 });
      expect(m.get('overall.accuracy')).toMatchObject({ values: [0.66, 0.71], best: 1 });
      expect(m.get('baselines.elo_538.brier')).toMatchObject({ values: [0.23, null], differs: true, best: null });
      expect(m.get('per_season.2021.brier')).toMatchObject({ values: [0.2, 0.18], best: 1 });
      expect(body.metrics[0]!.key.startsWith('overall.')).toBe(true);
    });

    it('rejects a comparison of fewer than two, repeated or unknown runs', async () => {
      await expectError(server, `/api/runs/compare?ids=${world.runA}`, 400, /at least two runs/);
      await expectError(server, `/api/runs/compare?ids=${world.runA},${world.runA}`, 400, /each run only once/);
      await expectError(server, '/api/runs/compare', 400, /query string: ids/);
      await expectError(server, `/api/runs/compare?ids=${world.runA},x`, 400, /must be a positive integer/);
      await expectError(server, `/api/runs/compare?ids=${world.runA},999998,999999`, 404, /no training run with id 999998, 999999/);
    });
  });

  describe('edges', () => {
    it('shows the latest detection run: market, model probability, price and exact edge', async () => {
      const { status, body } = await get<EdgesResponse>(server, '/api/edges');
      expect(status).toBe(200);
      expect(body.run).toMatchObject({ calculation_run_id: world.latestDetection, edge_count: 2, models: ['logistic_nfl@1'] });
      expect(body.runs.map((r) => r.calculation_run_id)).toEqual([world.latestDetection, world.olderDetection]);
      expect(body.edges).toEqual([
        expect.objectContaining({
          edge_id: 'E-G8',
          market_id: 'MKT-G8',
          ticker: 'NFL-G8',
          side: 'yes',
          model: 'logistic_nfl@1',
          training_run_id: world.runA,
          true_win_probability: '0.6500',
          market_price: '0.5500',
          edge: '0.1000',
          current: true,
        }),
        expect.objectContaining({ edge_id: 'E-G7', true_win_probability: '0.2500', market_price: '0.3000', edge: '-0.0500' }),
      ]);
    });

    it('shows an older run on request, and rejects a malformed or unknown run id', async () => {
      const { body } = await get<EdgesResponse>(server, `/api/edges?run=${world.olderDetection}`);
      expect(body.run?.calculation_run_id).toBe(world.olderDetection);
      expect(body.edges).toEqual([expect.objectContaining({ edge_id: 'E-G8', edge: '0.0500', current: false })]);
      await expectError(server, '/api/edges?run=latest', 400, /run: must be a detection run id/);
      await expectError(server, '/api/edges?run=2b7e1c3a-6a5b-4f1e-9f0a-3c2d1e0f9a8b', 404, /no edge-detection run 2b7e1c3a/);
    });
  });

  describe('the rest', () => {
    it('answers JSON 404 for an unknown API path and serves the page for everything else', async () => {
      await expectError(server, '/api/nothing/here', 404, /no API route GET \/api\/nothing\/here/);
      const page = await get<string>(server, '/runs/3');
      expect(page.status).toBe(200);
      expect(page.type).toContain('text/html');
      expect(page.body).toContain('<div id="app">');
      const asset = await fetch(`${server.url}/assets/index-abc.js`);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect(await asset.text()).toContain('precog');
    });

    it('refuses writes and never serves files outside the web root', async () => {
      const post = await fetch(`${server.url}/api/runs`, { method: 'POST', body: '{}' });
      expect(post.status).toBe(404);
      const escape = await fetch(`${server.url}/assets/..%2f..%2fpackage.json`);
      expect(await escape.text()).not.toContain('"name"');
    });

    it('answers only to loopback host names (no DNS rebinding)', async () => {
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const url = new URL(`${server.url}/api/datasets`);
          http
            .get({ hostname: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            })
            .on('error', reject);
        });
      expect(await status(`localhost:${new URL(server.url).port}`)).toBe(200);
      expect(await status('evil.example:80')).toBe(403);
    });

    it('keeps its Host allowlist on every bind address: the machine\'s names and addresses, plus --allow-host', async () => {
      const wide = await createUiServer(db.db, { port: 0, webRoot, host: '0.0.0.0', extraHosts: ['precog.lan'] });
      try {
        const port = new URL(wide.url).port;
        const status = (host: string) =>
          new Promise<number>((resolve, reject) => {
            http
              .get({ hostname: '127.0.0.1', port, path: '/api/datasets', headers: { host } }, (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
              })
              .on('error', reject);
          });
        expect(await status('evil.example')).toBe(403);
        expect(await status(`127.0.0.1:${port}`)).toBe(200);
        expect(await status(`${os.hostname()}:${port}`)).toBe(200);
        expect(await status('precog.lan')).toBe(200);
      } finally {
        await wide.close();
      }
      expect(servedHostNames('0.0.0.0')).not.toHaveLength(0);
      expect(servedHostNames('192.0.2.7')).toEqual(['localhost', '127.0.0.1', '[::1]', '192.0.2.7']);
    });
  });
});

describe('ui app errors', () => {
  it('answers 500 "internal error" without details and hands the error to onError', async () => {
    const failing = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: async () => {
          throw new Error('connection refused at secret-host:5432');
        },
      }),
    });
    const seen: unknown[] = [];
    const app = createUiApp(failing, { onError: (e) => seen.push(e), webRoot: '/nonexistent' });
    const response = await app.request('http://127.0.0.1/api/runs');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal error' });
    expect(seen).toHaveLength(1);
    const page = await app.request('http://127.0.0.1/');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build:web');
    await failing.destroy();
  });

  it('reports a port in use as a clear error', async () => {
    const first = await createUiServer({} as Kysely<Database>, { port: 0, webRoot: '/nonexistent' });
    try {
      const port = Number(new URL(first.url).port);
      await expect(createUiServer({} as Kysely<Database>, { port, webRoot: '/nonexistent' })).rejects.toThrow(
        /cannot listen on 127\.0\.0\.1:\d+: the port is in use/,
      );
    } finally {
      await first.close();
    }
  });
});
