import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../src/cli/main.js';
import { reportError } from '../../src/cli/output.js';
import { tempDir } from '../support/fixtures.js';

/** Runs the CLI in-process and captures what it prints. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    const code = await runCli(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const GROUPS: [string[], RegExp][] = [
  [['db', 'migrate'], /precog db migrate/],
  [['features', 'ingest'], /Columns: feature/],
  [['import', 'nfl-538'], /nfl_games\.csv/],
  [['elo', 'run'], /--preset/],
  [['dataset', 'build'], /precog dataset build/],
  [['train'], /--walk-forward/],
  [['runs', 'compare'], /precog runs compare/],
  [['edges', 'detect'], /--at/],
  [['ui'], /--port/],
  [['demo'], /precog demo/],
  [['doctor'], /precog doctor/],
];

describe('the precog CLI', () => {
  let home: string;
  const saved = { home: process.env['PRECOG_HOME'], url: process.env['DATABASE_URL'] };
  beforeAll(() => {
    home = tempDir('precog-cli-');
    process.env['PRECOG_HOME'] = home;
    delete process.env['DATABASE_URL'];
  });
  afterAll(() => {
    if (saved.home === undefined) delete process.env['PRECOG_HOME'];
    else process.env['PRECOG_HOME'] = saved.home;
    if (saved.url !== undefined) process.env['DATABASE_URL'] = saved.url;
    fs.rmSync(home, { recursive: true, force: true });
  });

  for (const [command, example] of GROUPS) {
    it(`${command.join(' ')} --help shows an example`, async () => {
      const { code, out } = await cli(...command, '--help');
      expect(code).toBe(0);
      expect(out).toMatch(/Example/);
      expect(out).toMatch(example);
    });
  }

  it('usage errors exit 2 with one line on stderr', async () => {
    expect((await cli('no-such-command')).code).toBe(2);
    expect((await cli('train', '--dataset', 'x@1')).code).toBe(2); // missing --model
    const bad = await cli('train', '--dataset', 'x@1', '--model', 'forest');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^precog: --model must be one of/);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a malformed --wait or --hp as a usage error, and a missing input file as a failure', async () => {
    const wait = await cli('db', 'status', '--wait', 'abc');
    expect(wait.code).toBe(2);
    expect(wait.err).toBe('precog: --wait must be a number of seconds >= 0, not "abc"\n');
    expect((await cli('db', 'status', '--wait', '-1')).code).toBe(2);
    const hp = await cli('train', '--dataset', 'x@1', '--model', 'logistic', '--hp', 'epochs');
    expect(hp.code).toBe(2);
    expect(hp.err).toBe('precog: --hp takes key=value (e.g. --hp epochs=80), not "epochs"\n');
    const baseline = await cli('train', '--dataset', 'x@1', '--model', 'logistic', '--baseline', 'elo538,astrology');
    expect(baseline.code).toBe(2);
    expect(baseline.err).toBe('precog: --baseline takes elo538, spread, market or none, not "astrology"\n');
    for (const args of [
      ['features', 'ingest', `${home}/missing.csv`],
      ['import', 'nfl-538', `${home}/missing.csv`],
      ['elo', 'run', '--initial-elos', `${home}/missing.csv`],
    ]) {
      const missing = await cli(...args);
      expect(missing.code, args.join(' ')).toBe(1);
      expect(missing.err, args.join(' ')).toMatch(new RegExp(`^precog: ${home}/missing\\.csv: no such (\\w+ )?file\n$`));
    }
  });

  it('reports a failure that is not an Error in one readable line', () => {
    const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(reportError({ reason: 'disk', code: 28 }, false)).toBe(1);
      expect(e).toHaveBeenCalledWith('precog: unexpected failure: {"reason":"disk","code":28}\n');
    } finally {
      e.mockRestore();
    }
  });

  it('reports --json that parses, and failures as exit 1 without a stack trace', async () => {
    const migrate = await cli('db', 'migrate', '--json');
    expect(migrate.code).toBe(0);
    z.object({ engine: z.literal('pglite'), location: z.string(), applied: z.array(z.string()) }).parse(JSON.parse(migrate.out));
    const status = await cli('db', 'status', '--json');
    z.object({ migrations: z.array(z.object({ name: z.string(), appliedAt: z.string().nullable() })), pending: z.literal(0) }).parse(
      JSON.parse(status.out),
    );
    for (const group of [['features', 'list'], ['dataset', 'list'], ['runs', 'list']]) {
      const listed = await cli(...group, '--json');
      expect(listed.code, group.join(' ')).toBe(0);
      expect(z.array(z.unknown()).parse(JSON.parse(listed.out))).toEqual([]);
    }
    const doctor = await cli('doctor', '--json');
    expect(doctor.code).toBe(0);
    z.object({
      engine: z.literal('pglite'),
      schema_version: z.string(),
      pending_migrations: z.literal(0),
      row_counts: z.record(z.string(), z.number()),
      tensorflow_backend: z.enum(['tensorflow', 'wasm', 'cpu']),
    }).parse(JSON.parse(doctor.out));
    const missing = await cli('dataset', 'show', 'nope@1');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('precog: dataset nope@1 is not registered\n');
    const debug = await cli('--debug', 'dataset', 'show', 'nope@1');
    expect(debug.err).toMatch(/at /);
  });
});
