/**
 * `npm run bench [-- --quick] [--json] [--only ingest,dataset,scd2,arrow,rss] [--engine postgres,pglite]
 *   [--scale default|quick|tiny] [--rss-engine postgres|pglite|all|none]`
 *
 * Generates (once, cached in bench/.cache/<scale>/) the benchmark data, runs every scenario
 * on the server (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local default if it
 * answers; in a database of its own, dropped at the end) and on PGlite (in a temp dir),
 * prints the results table (or JSON) and saves it under bench/results/.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine } from '../src/db/engine.js';
import { createPgliteBenchDb, createServerBenchDb, findServer, type BenchDb } from './bench-db.js';
import { ensureBenchData } from './generate.js';
import { createDuckDbReference, type DuckDbReference } from './reference/duckdb-asof.js';
import { formatReport, machineInfo, saveReport, type BenchReport } from './report.js';
import { SCENARIOS, attempt, runEngine, type Collector, type ScenarioName } from './run-engine.js';
import { SCALES } from './scale.js';
import { runArrowScenario } from './scenarios/arrow-io.js';
import { engineRatioRows } from './scenarios/engine-ratio.js';

const USAGE = `usage: npm run bench -- [--quick] [--json] [--only ${SCENARIOS.join(',')}] [--engine postgres,pglite]
                        [--scale ${Object.keys(SCALES).join('|')}] [--rss-engine postgres|pglite|all|none]`;

function list(value: string | undefined): string[] | undefined {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      engine: { type: 'string' },
      scale: { type: 'string' },
      'rss-engine': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scale = SCALES[values.scale ?? (values.quick ? 'quick' : 'default')];
  const only = list(values.only) ?? [...SCENARIOS];
  const engines = list(values.engine) ?? ['postgres', 'pglite'];
  const bad = [...only.filter((s) => !(SCENARIOS as readonly string[]).includes(s)), ...engines.filter((e) => e !== 'postgres' && e !== 'pglite')];
  if (!scale || bad.length) {
    console.error(`${bad.length ? `unknown: ${bad.join(', ')}` : `unknown scale ${values.scale}`}\n${USAGE}`);
    process.exit(2);
  }
  return {
    scale,
    json: values.json,
    scenarios: new Set(only as ScenarioName[]),
    engines: engines as Engine[],
    rssEngine: values['rss-engine'],
  };
}

async function main(): Promise<number> {
  const options = parseOptions();
  const started = Date.now();
  const collector: Collector = { rows: [], skipped: [], errors: [], log: (m) => console.error(`[bench] ${m}`) };
  collector.log(`scale ${options.scale.name}: generating or reusing data …`);
  const data = ensureBenchData(options.scale);
  let serverUrl: string | undefined;
  if (options.engines.includes('postgres')) {
    const found = await findServer();
    if ('url' in found) serverUrl = found.url;
    else collector.skipped.push({ scenario: 'ingest, dataset build, scd2 updates, peak RSS', engine: 'postgres', reason: found.skip });
  }
  const engines = options.engines.filter((e) => e === 'pglite' || serverUrl);
  const rssEngines: Engine[] =
    options.rssEngine === 'all' ? engines
    : options.rssEngine === 'none' ? []
    : options.rssEngine ? engines.filter((e) => e === options.rssEngine)
    : engines.slice(0, 1);
  for (const e of engines.filter((e) => !rssEngines.includes(e))) {
    if (options.scenarios.has('rss')) collector.skipped.push({ scenario: 'peak RSS build', engine: e, reason: 'runs on one engine per run (--rss-engine all for both)' });
  }

  let duck: DuckDbReference | undefined;
  if (options.scenarios.has('dataset')) {
    collector.log('loading DuckDB reference (untimed) …');
    duck = await createDuckDbReference(data);
  }
  const live: BenchDb[] = [];
  const onSignal = () => {
    void Promise.allSettled(live.map((b) => b.dispose())).then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const engine of engines) {
      const bench = await attempt(collector, 'setup', engine, () =>
        engine === 'postgres' ? createServerBenchDb(serverUrl!, `precog_bench_${process.pid}`) : createPgliteBenchDb(),
      );
      if (!bench) continue;
      live.push(bench);
      try {
        await runEngine(bench, data, { scenarios: options.scenarios, rss: rssEngines.includes(engine), duck }, collector);
      } catch (error) {
        collector.errors.push({ scenario: 'run', engine, reason: error instanceof Error ? error.message : String(error) });
      } finally {
        await bench.dispose();
        live.splice(live.indexOf(bench), 1);
      }
    }
  } finally {
    duck?.close();
  }
  if (options.scenarios.has('arrow')) {
    const outcome = await attempt(collector, 'arrow write/read', 'file', () => runArrowScenario(options.scale));
    if (outcome) collector.rows.push(...outcome.rows);
  }
  collector.rows.push(...engineRatioRows(collector.rows));

  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    scale: options.scale,
    machine: machineInfo(),
    rows: collector.rows,
    skipped: collector.skipped,
    errors: collector.errors,
  };
  const file = saveReport(report, path.join(import.meta.dirname, 'results'));
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else console.log(`${formatReport(report)}\n\nsaved ${path.relative(process.cwd(), file)}`);
  return report.errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
