import { mulberry32 } from '../../../src/random.js';

/** A seeded uniform [0, 1) generator (mulberry32), for reproducible synthetic data. */
export function uniform(seed: number): () => number {
  return mulberry32(seed);
}

/** A seeded standard normal generator (Box–Muller over {@link uniform}). */
export function normal(seed: number): () => number {
  const u = uniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * `rows` rows of `cols` standard-normal features (columns) and labels
 * y ~ Bernoulli(sigmoid(2·x0 − x1)); the other features are noise. `truth` is the true
 * probability of each row.
 */
export function logisticData(
  rows: number,
  cols: number,
  seed: number,
): { X: Float64Array[]; y: Float32Array; truth: Float64Array } {
  const z = normal(seed);
  const u = uniform(seed + 1);
  const X = Array.from({ length: cols }, () => Float64Array.from({ length: rows }, () => z()));
  const truth = Float64Array.from({ length: rows }, (_, r) => sigmoid(2 * (X[0]?.[r] ?? 0) - (X[1]?.[r] ?? 0)));
  const y = Float32Array.from(truth, (p) => (u() < p ? 1 : 0));
  return { X, y, truth };
}
