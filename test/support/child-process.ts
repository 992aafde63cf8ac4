import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { bundledScript } from './child-bundles.js';

/** The repository root: children run from here, as `npx precog` would. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** How a child process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from spawn to exit. */
  readonly ms: number;
}

/** A running child: its pid, its output so far, and a promise of its exit. */
export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly spawnedAt: number;
  stdout(): string;
  stderr(): string;
  /** Resolves (never rejects) when the process has exited. */
  readonly exit: Promise<ChildExit>;
  /** Whether it has exited yet. */
  exited(): boolean;
  /** Ends the child's stdin: the holder fixtures let go of what they hold when it ends. */
  endInput(): void;
}

/**
 * Runs a TypeScript entry point of this repository (`src/cli/bin.ts`, a fixture under
 * `test/reliability/fixtures/`) in a new Node process, from the repository root, with
 * exactly `env`. What runs is its bundle, built from the current sources by the global
 * setup (see `test/support/child-bundles.ts`). Its stdin is a pipe that stays open until
 * {@link Child.endInput} (or its exit).
 */
export function spawnScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Child {
  const spawnedAt = Date.now();
  const proc = spawn(process.execPath, ['--enable-source-maps', bundledScript(inject('childBundles'), script), ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not spawn ${script}`);
  let out = '';
  let err = '';
  let done = false;
  // A child that exits without reading its input must not fail the test with EPIPE.
  proc.stdin!.on('error', () => undefined);
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<ChildExit>((resolve) => {
    proc.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - spawnedAt });
    });
  });
  return {
    process: proc,
    pid: proc.pid,
    spawnedAt,
    stdout: () => out,
    stderr: () => err,
    exit,
    exited: () => done,
    endInput: () => proc.stdin!.end(),
  };
}

/** Runs the real CLI (`src/cli/bin.ts`, bundled). */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv): Child {
  return spawnScript('src/cli/bin.ts', args, env);
}

/** Runs the CLI to completion and returns how it ended. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildExit> {
  return spawnCli(args, env).exit;
}

/**
 * The environment of a child: this process's, minus the database settings, plus the
 * target's. `databaseUrl` undefined → the embedded engine under `home`.
 */
export function childEnv(home: string, databaseUrl?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PRECOG_HOME: home };
  delete env['DATABASE_URL'];
  if (databaseUrl) env['DATABASE_URL'] = databaseUrl;
  return env;
}

/** The same server URL, with `application_name` set so the test can find its sessions. */
export function taggedUrl(url: string, applicationName: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', applicationName);
  return u.toString();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` until it holds; throws naming `what` after `timeoutMs`, or as soon as
 * `child` (when given) exits — a condition about a running child cannot come true then.
 */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 60_000, everyMs = 20, child }: { timeoutMs?: number; everyMs?: number; child?: Child } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (child?.exited()) throw new ChildExitedError(what, await child.exit);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The child ended before what the test was waiting for happened. */
export class ChildExitedError extends Error {
  constructor(
    what: string,
    readonly result: ChildExit,
  ) {
    super(`the child exited (code ${result.code}, signal ${result.signal}) before ${what}:\n${result.stderr.slice(-2000)}`);
  }
}

/** Sends SIGKILL to one child we started (by its pid) and waits for it to be gone. */
export async function killHard(child: Child): Promise<ChildExit> {
  if (!child.exited()) child.process.kill('SIGKILL');
  return child.exit;
}
