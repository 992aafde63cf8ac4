import { normalCdf } from '../nfl/normal-cdf.js';
import type { LeagueOptions } from './league-options.js';
import type { SeededRandom } from './seeded-random.js';

/** The latent outcome probabilities of a game with a given expected margin (home − away). */
export interface OutcomeProbabilities {
  readonly homeWin: number;
  readonly tie: number;
  readonly awayWin: number;
}

/**
 * With margin ~ N(expectedMargin, marginSd²): home win when margin ≥ tieBand, away win when
 * ≤ −tieBand, a tie in between.
 */
export function outcomeProbabilities(expectedMargin: number, scores: LeagueOptions['scores']): OutcomeProbabilities {
  const homeWin = normalCdf((expectedMargin - scores.tieBand) / scores.marginSd);
  const awayWin = normalCdf((-scores.tieBand - expectedMargin) / scores.marginSd);
  return { homeWin, awayWin, tie: Math.max(0, 1 - homeWin - awayWin) };
}

/**
 * Draws a final score: the margin decides the outcome as in {@link outcomeProbabilities};
 * the integer margin keeps its sign (at least 1 point for a win, 0 for a tie); the total is
 * N(meanTotal, totalSd²) rounded, raised to at least |margin| and to the margin's parity, so
 * both scores are whole and non-negative.
 */
export function drawScore(
  random: SeededRandom,
  expectedMargin: number,
  scores: LeagueOptions['scores'],
): { home: number; away: number } {
  const margin = random.normal(expectedMargin, scores.marginSd);
  const m = margin >= scores.tieBand ? Math.max(1, Math.round(margin)) : margin <= -scores.tieBand ? Math.min(-1, Math.round(margin)) : 0;
  let total = Math.max(Math.abs(m), Math.round(random.normal(scores.meanTotal, scores.totalSd)));
  if ((total - m) % 2 !== 0) total += 1;
  return { home: (total + m) / 2, away: (total - m) / 2 };
}
