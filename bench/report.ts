import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { human, type BenchRow } from './result.js';
import type { BenchScale } from './scale.js';

/** A scenario that could not run or failed, with why. */
export interface BenchProblem {
  readonly scenario: string;
  readonly engine: string;
  readonly reason: string;
}

/** Everything a run produced: what `--json` prints and `bench/results/<timestamp>.json` holds. */
export interface BenchReport {
  readonly startedAt: string;
  readonly seconds: number;
  readonly scale: BenchScale;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGiB: number; readonly node: string; readonly loadAverage: readonly number[] };
  readonly rows: readonly BenchRow[];
  readonly skipped: readonly BenchProblem[];
  readonly errors: readonly BenchProblem[];
}

export function machineInfo(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const HEADERS = ['scenario', 'engine', 'rows', 'seconds', 'rows/s', 'reference', 'ratio', 'target', 'result'] as const;

function cells(row: BenchRow): string[] {
  return [
    row.scenario,
    row.engine,
    human(row.rows),
    row.seconds.toFixed(2),
    human(row.rowsPerSecond),
    row.reference,
    `${row.ratio.toFixed(2)}×`,
    row.target,
    row.pass ? 'pass' : 'FAIL',
  ];
}

/** The results as an aligned text table, then notes, skipped scenarios and errors. */
export function formatReport(report: BenchReport): string {
  const table = [HEADERS as readonly string[], ...report.rows.map(cells)];
  const widths = HEADERS.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const out = [
    `precog bench — scale ${report.scale.name}, ${report.machine.cpus} × ${report.machine.cpuModel}, node ${report.machine.node}, ` +
      `load ${report.machine.loadAverage.join(' ')}, ${report.seconds.toFixed(0)} s`,
    '',
    line(table[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...table.slice(1).map(line),
  ];
  const notes = report.rows.filter((r) => r.note);
  if (notes.length) out.push('', ...notes.map((r) => `note: ${r.scenario} [${r.engine}]: ${r.note}`));
  if (report.skipped.length) out.push('', ...report.skipped.map((s) => `skipped: ${s.scenario} [${s.engine}]: ${s.reason}`));
  if (report.errors.length) out.push('', ...report.errors.map((e) => `ERROR: ${e.scenario} [${e.engine}]: ${e.reason}`));
  return out.join('\n');
}

/** Saves the report as `<dir>/<timestamp>.json`; returns the path. */
export function saveReport(report: BenchReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
