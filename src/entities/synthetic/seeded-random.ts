import { mulberry32 } from '../../random.js';

/**
 * A small seeded pseudo-random generator for synthetic data: mulberry32 (32-bit state,
 * period 2³², good enough statistically for simulation, not for cryptography). The same
 * seed gives the same sequence on every machine — nothing here reads `Math.random` or the
 * clock.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** A float in [min, max). */
  uniform(min: number, max: number): number;
  /** An integer in [min, max] (both inclusive). */
  integer(min: number, max: number): number;
  /** True with probability `p`. */
  bernoulli(p: number): boolean;
  /** A normal deviate N(mean, sd²) (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

/**
 * An independent stream's seed from a base seed and a name (FNV-1a of the name mixed with
 * the seed, then murmur3's finalizer). Separate streams keep one part of a simulation from
 * shifting another's draws: changing how many market snapshots are drawn leaves the scores
 * alone.
 */
export function deriveSeed(seed: number, stream: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A {@link SeededRandom} over mulberry32, seeded with `seed` (any integer; taken mod 2³²). */
export function createRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  const random: SeededRandom = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    bernoulli: (p) => next() < p,
    normal(mean = 0, sd = 1) {
      // 1 − u is in (0, 1]: log never sees 0.
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[Math.floor(next() * items.length)]!;
    },
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
  return random;
}
