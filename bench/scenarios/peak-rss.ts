import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseConfig } from '../../src/db/connection.js';
import type { Engine } from '../../src/db/engine.js';
import { benchSpec } from '../dataset-shape.js';
import type { BenchData } from '../generate.js';
import { absoluteRow, type BenchRow } from '../result.js';
import type { RssChildReport } from '../rss-child.js';

/** Scenario 6's bound on the build process's peak RSS. */
export const RSS_LIMIT_BYTES = 2 ** 30;
/** `bench/`: where the child script lives. */
const BENCH_ROOT = path.join(import.meta.dirname, '..');

function runChild(input: object): Promise<RssChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_ROOT, 'rss-child.ts'), JSON.stringify(input)], {
      cwd: path.join(BENCH_ROOT, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`peak-RSS child exited ${code}: ${stderr.trim().slice(-2000)}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as RssChildReport);
      } catch (error) {
        reject(new Error(`peak-RSS child printed no report: ${stdout.slice(-500)} ${stderr.slice(-500)}`, { cause: error }));
      }
    });
  });
}

/**
 * Scenario 6: a dataset build over every generated game (labels + the extra RSS games,
 * which must be loaded) in a child process, whose peak RSS (its own VmHWM on Linux, see
 * `rss-child.ts`) must stay under 1 GiB. The database must not be open elsewhere if it is PGlite.
 */
export async function runPeakRssScenario(engine: Engine, config: DatabaseConfig, data: BenchData): Promise<BenchRow> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'precog-bench-rss-'));
  try {
    const report = await runChild({ config, spec: benchSpec(data, `rss-${engine}`), home });
    const expected = data.games + data.rssGames;
    if (report.rows !== expected) throw new Error(`the peak-RSS build has ${report.rows} rows, expected ${expected}`);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    return absoluteRow(
      {
        scenario: 'peak RSS build',
        engine,
        rows: report.rows,
        seconds: report.seconds,
        note: `peak RSS ${mib(report.maxRssBytes)} (${mib(report.baselineRssBytes)} before the build)`,
      },
      report.maxRssBytes,
      { op: '<', value: RSS_LIMIT_BYTES, text: '1 GiB RSS' },
    );
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
