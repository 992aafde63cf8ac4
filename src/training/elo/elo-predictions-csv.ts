import { stringify } from 'csv-stringify/sync';
import type { EloPrediction } from './elo-run.js';

/** The columns of a predictions file, 538's `nfl_games.csv` names. */
export const PREDICTION_COLUMNS = ['date', 'season', 'team1', 'team2', 'prob1'] as const;

/**
 * Predictions as CSV text: `date,season,team1,team2,prob1`, one row per game in date order,
 * with 538's team codes; team1 is the home team (538's team1 at a neutral site) and `prob1`
 * its pre-game win probability at full precision (shortest round-trip decimal).
 */
export function formatPredictionsCsv(predictions: readonly EloPrediction[]): string {
  return stringify([
    [...PREDICTION_COLUMNS],
    ...predictions.map((p) => [p.date, String(p.season), p.team1, p.team2, String(p.prob1)]),
  ]);
}
