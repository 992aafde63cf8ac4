/**
 * Where a scenario's time goes, statement by statement: runs one Precog operation of a
 * scenario on a fresh benchmark database with every SQL statement timed, and prints the
 * statements by total time plus the time spent outside SQL (JavaScript, COPY streaming).
 *
 * Usage: node --import tsx bench/profile.ts ingest|dataset|scd2 [--engine postgres|pglite] [--scale quick]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PGliteKyselyAdapter } from '../src/db/pglite-adapter.js';
import { buildDataset } from '../src/datasets/dataset-builder.js';
import { ingestFile } from '../src/features/ingest.js';
import { createPgliteBenchDb, createServerBenchDb, findServer, type BenchDb } from './bench-db.js';
import { benchSpec } from './dataset-shape.js';
import { ensureBenchData } from './generate.js';
import { human } from './result.js';
import { SCALES } from './scale.js';
import { precogUpdate, scd2Batches, scd2WritePath, seedScd2 } from './scd2-workload.js';
import { loadGames, seedFeatureStore } from './seed.js';

const stats = new Map<string, { count: number; ms: number }>();
let recording = false;

function record(text: string, ms: number): void {
  if (!recording) return;
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 110);
  const s = stats.get(key) ?? { count: 0, ms: 0 };
  s.count += 1;
  s.ms += ms;
  stats.set(key, s);
}

type AnyFn = (...args: unknown[]) => unknown;

/** Wraps a query function so that its promise's duration is recorded under the SQL text. */
function timedQuery(fn: AnyFn, textOf: (args: unknown[]) => string | undefined): AnyFn {
  return function (this: unknown, ...args: unknown[]) {
    const text = textOf(args);
    const start = performance.now();
    const result = fn.apply(this, args);
    if (text !== undefined && result instanceof Promise) {
      return result.finally(() => record(text, performance.now() - start));
    }
    return result;
  };
}

function installServerTimer(): void {
  const proto = pg.Client.prototype as unknown as { query: AnyFn };
  proto.query = timedQuery(proto.query, (args) => {
    const first = args[0];
    if (typeof first === 'string') return first;
    if (first && typeof first === 'object' && 'text' in first && typeof first.text === 'string') return first.text;
    return undefined; // COPY streams: their time is outside SQL
  });
}

function installPgliteTimer(bench: BenchDb): void {
  const textOf = (args: unknown[]) => (typeof args[0] === 'string' ? args[0] : undefined);
  const pglite = bench.db.pglite as unknown as { query: AnyFn };
  pglite.query = timedQuery(pglite.query.bind(pglite), textOf);
  const proto = PGliteKyselyAdapter.prototype as unknown as { transaction: AnyFn };
  const original = proto.transaction;
  proto.transaction = function (this: unknown, ...args: unknown[]) {
    const callback = args[0] as (tx: unknown) => Promise<unknown>;
    return original.call(this, (wrapped: object) => {
      const raw = Object.getPrototypeOf(wrapped) as { query: AnyFn };
      raw.query = timedQuery(raw.query.bind(raw), textOf);
      return callback(wrapped);
    });
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { engine: { type: 'string', default: 'postgres' }, scale: { type: 'string', default: 'quick' } },
    allowPositionals: true,
  });
  const what = positionals[0];
  const scale = SCALES[values.scale!];
  if (!scale || !['ingest', 'dataset', 'scd2'].includes(what ?? '')) {
    console.error('usage: node --import tsx bench/profile.ts ingest|dataset|scd2 [--engine postgres|pglite] [--scale quick]');
    process.exit(2);
  }
  const data = ensureBenchData(scale);
  let bench: BenchDb;
  if (values.engine === 'postgres') {
    const found = await findServer();
    if (!('url' in found)) throw new Error(found.skip);
    bench = await createServerBenchDb(found.url, `precog_bench_${process.pid}`);
    installServerTimer();
  } else {
    bench = await createPgliteBenchDb();
    installPgliteTimer(bench);
  }
  try {
    const teams = await seedFeatureStore(bench.db, data);
    let rows = 0;
    let run: () => Promise<unknown>;
    if (what === 'ingest') {
      rows = data.featureRows;
      run = () => ingestFile(bench.db, data.featuresCsv);
    } else if (what === 'dataset') {
      await ingestFile(bench.db, data.featuresCsv);
      await loadGames(bench.db, data.gamesCsv, teams);
      rows = data.games;
      run = () => buildDataset(bench.db, benchSpec(data, 'profile'), data.dir);
    } else {
      await seedScd2({ engine: bench.engine, db: bench.db, url: bench.url }, scale);
      const batches = scd2Batches(scale).slice(0, 5);
      rows = batches.reduce((n, b) => n + b.length, 0);
      console.log(`write path: ${scd2WritePath()}, ${batches.length} batches`);
      run = async () => {
        for (const batch of batches) await bench.db.transaction((session) => precogUpdate(session.db, batch));
      };
    }
    recording = true;
    const start = performance.now();
    await run();
    const total = performance.now() - start;
    recording = false;
    const sorted = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const inSql = sorted.reduce((n, [, s]) => n + s.ms, 0);
    console.log(`${what} on ${bench.engine}, scale ${scale.name}: ${rows} rows in ${(total / 1000).toFixed(2)} s (${human(rows / (total / 1000))} rows/s)`);
    console.log(`outside timed SQL (JS, COPY streaming, driver): ${((total - inSql) / 1000).toFixed(2)} s (${((100 * (total - inSql)) / total).toFixed(0)}%)`);
    for (const [text, s] of sorted.slice(0, 15)) {
      console.log(`${(s.ms / 1000).toFixed(2).padStart(8)} s ${((100 * s.ms) / total).toFixed(0).padStart(3)}% ×${String(s.count).padEnd(6)} ${text}`);
    }
  } finally {
    await bench.dispose();
  }
}

await main();
