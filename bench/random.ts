import { mulberry32 } from '../src/random.js';
/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on
 * every machine and Node version, which `Math.random` does not promise.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max). */
  int(min: number, max: number): number;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  return { next, int: (min, max) => min + Math.floor(next() * (max - min)) };
}
