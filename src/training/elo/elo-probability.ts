/**
 * 538's Elo win probability of the side whose rating advantage is `diff` Elo points
 * (home-field advantage already included): `1 / (10^(−diff/400) + 1)`.
 * 0 points → 0.5; +400 points → 10/11.
 */
export function eloWinProbability(diff: number): number {
  return 1 / (Math.pow(10, -diff / 400) + 1);
}
