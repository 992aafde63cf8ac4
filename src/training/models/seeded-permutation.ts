import { mulberry32 } from '../../random.js';

/**
 * A permutation of 0 … n−1 drawn by Fisher–Yates from mulberry32(seed): the same for the
 * same (n, seed) on every machine (32-bit integer arithmetic only).
 */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const next = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const tmp = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = tmp;
  }
  return perm;
}
