import { parseEloParams, type EloParams } from './elo-params.js';

/**
 * 538's hand-set ratings for franchises returning after one or more missing seasons
 * (team code + season → rating), from `forecast.py` of fivethirtyeight/nfl-elo-game.
 * Every team with a gap of more than one season in 538's NFL history has an entry here.
 */
export const FIXED_REVERSIONS_538: Readonly<Record<string, number>> = Object.freeze({
  CBD1925: 1502.032,
  RAC1926: 1403.384,
  LOU1926: 1307.201,
  CIB1927: 1362.919,
  MNN1929: 1306.702,
  BFF1929: 1331.943,
  LAR1944: 1373.977,
  PHI1944: 1497.988,
  ARI1945: 1353.939,
  PIT1945: 1353.939,
  CLE1999: 1300.0,
});

/**
 * 538's NFL Elo constants (K = 20, home-field advantage 65, reversion a third of the way to
 * 1505, margin-of-victory multiplier on, the fixed reversions above, 1300 for teams without
 * an initial rating — the value 538 gives every expansion team in `initial_elos.csv`).
 * The initial ratings are data, not constants: pass the rows of `initial_elos.csv`.
 */
export function create538EloParams(initialRatings: Readonly<Record<string, number>>): EloParams {
  return parseEloParams({
    k: 20,
    homeAdvantage: 65,
    revertTo: 1505,
    revertFraction: 1 / 3,
    marginOfVictory: true,
    fixedReversions: FIXED_REVERSIONS_538,
    initialRatings,
    defaultInitialRating: 1300,
  });
}
