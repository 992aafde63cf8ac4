/**
 * 538's NFL margin-of-victory multiplier for one game:
 * `ln(max(|margin|, 1) + 1) × 2.2 / (w · diff · 0.001 + 2.2)`, where `margin` = team1's
 * points − team2's, `diff` = team1's Elo advantage (home-field advantage included) and
 * w = +1 if team1 won, −1 if it lost. For a tie the fraction's denominator is 1 (538's
 * code: `2.2 / 1.0`), so a tie multiplies by `ln 2 × 2.2` whatever the ratings.
 * The denominator shrinks the reward of favourites that win big (autocorrelation fix).
 */
export function marginOfVictoryMultiplier(margin: number, diff: number): number {
  const scale = Math.log(Math.max(Math.abs(margin), 1) + 1);
  if (margin === 0) return scale * (2.2 / 1.0);
  const w = margin > 0 ? 1 : -1;
  return scale * (2.2 / (w * diff * 0.001 + 2.2));
}
