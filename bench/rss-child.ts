/**
 * The peak-RSS scenario's child process: opens the benchmark database, builds one dataset,
 * and prints one JSON line with the build's time and the process's peak RSS, so the number
 * is the build's alone (plus Node, tsx and the driver; on PGlite the embedded database's
 * WASM heap too), not the benchmark runner's.
 *
 * Usage: node --import tsx bench/rss-child.ts '<json {config, spec, home}>'
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDatabase, type DatabaseConfig } from '../src/db/connection.js';
import { buildDataset } from '../src/datasets/dataset-builder.js';

/** What the child prints. */
export interface RssChildReport {
  readonly rows: number;
  readonly seconds: number;
  /** Peak RSS of the whole process, bytes. */
  readonly maxRssBytes: number;
  /** Peak RSS before the build started (after opening the database), bytes. */
  readonly baselineRssBytes: number;
}

interface RssChildInput {
  readonly config: DatabaseConfig;
  readonly spec: unknown;
  readonly home: string;
}

/**
 * This process's peak RSS in bytes. On Linux it is VmHWM, the high-water mark of this
 * process's own memory map: `resourceUsage().maxRSS` is not usable in a spawned child,
 * because Linux carries the parent's peak across fork and exec (a child of a 600 MiB parent
 * reports 600 MiB from its first line). Elsewhere maxRSS is the best there is.
 */
function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const input = JSON.parse(process.argv[2] ?? '{}') as RssChildInput;
const db = await openDatabase(input.config);
try {
  const baselineRssBytes = peakRssBytes();
  const start = performance.now();
  const { dataset } = await buildDataset(db, input.spec, input.home);
  const seconds = (performance.now() - start) / 1000;
  const report: RssChildReport = {
    rows: dataset.row_count,
    seconds,
    maxRssBytes: peakRssBytes(),
    baselineRssBytes,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await db.close();
}
