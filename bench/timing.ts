import { performance } from 'node:perf_hooks';

/** Runs `fn` and returns its value with the wall-clock seconds it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - start) / 1000 };
}
