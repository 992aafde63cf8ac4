// Dependency-free: the browser bundle (web/) imports this module too.

const LOWER_IS_BETTER = /(^|_)(brier|log_?loss|ece|mce|calibration_error|rmse|mae|mse)($|_)/i;
const HIGHER_IS_BETTER = /(^|_)(accuracy|auc|skill|roc_auc)($|_)/i;

/**
 * Whether a smaller or a larger value of metric `name` (a leaf such as `brier`, or a path
 * such as `per_season.2021.log_loss`) is better, or undefined when the name does not say
 * (e.g. `n_games`). Skill scores and accuracy are "higher"; losses and errors "lower".
 */
export function metricDirection(name: string): 'lower' | 'higher' | undefined {
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  if (HIGHER_IS_BETTER.test(leaf)) return 'higher';
  if (LOWER_IS_BETTER.test(leaf)) return 'lower';
  return undefined;
}
