import { isOutcome, type Outcome } from '../metrics/prediction.js';
import { InvalidEvaluationInputError, NoWalkForwardFoldsError } from './errors.js';
import { formatSeasonRange, parseSeasonRange, type SeasonRange } from './season-range.js';
import {
  seriesMetrics,
  seriesMetricsWithCalibration,
  type ScoredForecast,
  type SeriesMetrics,
  type SeriesMetricsWithCalibration,
} from './series-metrics.js';

/** One walk-forward step: train on `trainSeasons` (all before `testSeason`), predict `testSeason`. */
export interface WalkForwardFold {
  readonly testSeason: number;
  /** Ascending; every one is < `testSeason`. */
  readonly trainSeasons: readonly number[];
}

/** A season in range that has no fold, and why. */
export interface SkippedSeason {
  readonly season: number;
  readonly reason: string;
}

/** Which seasons a walk-forward evaluation predicts, and from which seasons. */
export interface WalkForwardPlanOptions {
  /** The test seasons: `2000:2020` or `{ from, to }`, inclusive. */
  readonly range: SeasonRange | string;
  /**
   * Train on at most this many seasons: the most recent ones present in the data before
   * the test season. Unset: every earlier season.
   */
  readonly trainWindow?: number;
}

/** The folds, in test-season order, and the seasons in range left without one. */
export interface WalkForwardPlan {
  readonly range: SeasonRange;
  readonly folds: readonly WalkForwardFold[];
  readonly skipped: readonly SkippedSeason[];
}

/**
 * Plans a walk-forward evaluation over the seasons present in the data (`seasons` may
 * repeat, in any order; each must be an integer). Every season of the range that is
 * present becomes a test season, trained on the present seasons strictly before it — all
 * of them, or the last `trainWindow` of them. A test season is therefore never trained on,
 * and no season after it is used. A season with no earlier season to train on (the first
 * one in the data) is listed in `skipped` instead. Seasons of the range absent from the
 * data are simply not folds. Pure; throws {@link InvalidEvaluationInputError} on a bad
 * season or window and {@link InvalidSeasonRangeError} on a bad range.
 */
export function planWalkForward(seasons: Iterable<number>, options: WalkForwardPlanOptions): WalkForwardPlan {
  const range = parseSeasonRange(options.range);
  const window = options.trainWindow;
  if (window !== undefined && !(Number.isSafeInteger(window) && window >= 1)) {
    throw new InvalidEvaluationInputError('trainWindow', null, window, 'must be a positive integer');
  }
  const present = distinctSeasons(seasons);
  const folds: WalkForwardFold[] = [];
  const skipped: SkippedSeason[] = [];
  present.forEach((testSeason, i) => {
    if (testSeason < range.from || testSeason > range.to) return;
    const earlier = present.slice(window === undefined ? 0 : Math.max(0, i - window), i);
    if (earlier.length === 0) {
      skipped.push(Object.freeze({ season: testSeason, reason: 'no earlier season to train on' }));
      return;
    }
    folds.push(Object.freeze({ testSeason, trainSeasons: Object.freeze(earlier) }));
  });
  return Object.freeze({ range, folds: Object.freeze(folds), skipped: Object.freeze(skipped) });
}

/** Facts a fitted forecaster reports about its fit (a fitted σ, a final loss, …). */
export type FoldInfo = Readonly<Record<string, number | string | boolean | null>>;

/** A fitted per-fold forecaster: probabilities for the given rows, in that order. */
export interface FoldPredictor {
  /** One probability per row of `testRows`; null or NaN = no forecast (baselines only). */
  predict(testRows: readonly number[]): ArrayLike<number | null> | Promise<ArrayLike<number | null>>;
  /** Facts about the fit to report with the fold (e.g. a fitted σ, a final loss). */
  readonly info?: FoldInfo;
  /** Called once the fold's predictions are taken (e.g. to free tensors). */
  dispose?(): void;
}

/** Fits a forecaster on the training rows of one fold (row indices into the data, ascending). */
export type FoldFitter = (
  trainRows: readonly number[],
  fold: WalkForwardFold,
) => FoldPredictor | Promise<FoldPredictor>;

/** A baseline: a fixed probability column (null/NaN = missing), or a forecaster fitted per fold. */
export type BaselineSource = ArrayLike<number | null> | FoldFitter;

/** The rows of a walk-forward evaluation, one entry per row in each column. */
export interface WalkForwardData {
  readonly seasons: ArrayLike<number>;
  /** 1 = the predicted side won, 0 = it lost, 0.5 = tie. */
  readonly outcomes: ArrayLike<number>;
  /** Whether each game is a playoff game (538 doubles its points); default: none. */
  readonly playoff?: ArrayLike<boolean>;
}

/** Options of {@link runWalkForward}. */
export interface WalkForwardOptions extends WalkForwardPlanOptions {
  /** Series scored beside the model, by name (not `model`). */
  readonly baselines?: Readonly<Record<string, BaselineSource>>;
}

/** The name of the model's series in metrics and predictions. */
export const MODEL_SERIES = 'model';

/** One fold's outcome. */
export interface WalkForwardFoldResult extends WalkForwardFold {
  readonly trainRows: number;
  readonly testRows: number;
  /** Test rows where every series has a probability: the rows every metric is computed on. */
  readonly comparedRows: number;
  /** Test rows left out of the comparison because a baseline is missing there. */
  readonly excludedRows: number;
  /** Per baseline, its missing test rows (a row missing two baselines counts in both). */
  readonly missingByBaseline: Readonly<Record<string, number>>;
  /** Per series, the `info` of its fitted predictor (absent for fixed columns). */
  readonly info: Readonly<Record<string, FoldInfo>>;
  /** Per series, its metrics on the compared rows; null when no row is compared. */
  readonly metrics: Readonly<Record<string, SeriesMetrics>> | null;
}

/** Everything {@link runWalkForward} produces. */
export interface WalkForwardResult {
  readonly plan: WalkForwardPlan;
  readonly folds: readonly WalkForwardFoldResult[];
  /** Out-of-sample forecasts, one entry per test row (fold order, then row order). */
  readonly predictions: {
    readonly rows: Int32Array;
    /** Per series, aligned with `rows`; NaN where a baseline is missing. */
    readonly series: Readonly<Record<string, Float64Array>>;
    /** 1 where the row is in the comparison set, aligned with `rows`. */
    readonly compared: Uint8Array;
  };
  readonly overall: {
    readonly testRows: number;
    readonly comparedRows: number;
    readonly excludedRows: number;
    /**
     * Per series, over every compared row of every fold (pooled, not a mean of folds);
     * null when no row could be compared (a baseline missing everywhere).
     */
    readonly metrics: Readonly<Record<string, SeriesMetricsWithCalibration>> | null;
  };
}

/**
 * Runs a walk-forward evaluation: for each fold of {@link planWalkForward}, fits the model
 * (`fit`) and every fitted baseline on the fold's training rows only, predicts the test
 * season's rows, and scores them.
 *
 * The comparison set: a test row is scored only when every series has a probability for
 * it — the model must forecast every test row (else it throws); a baseline may be
 * missing (null, NaN, or a `null` from its predictor), and a row missing any baseline is
 * excluded from the metrics of *all* series, so model and baselines are always scored on
 * exactly the same rows. Excluded rows are counted (per fold, per baseline and overall)
 * and still get the model's forecast in `predictions`. With no baselines, every test row
 * is compared.
 *
 * Metrics per fold and overall (pooled over all compared rows): Brier, log loss,
 * accuracy, ECE (10 bins), 538 game points (total, and mean per season). Folds run one
 * after another; each predictor is disposed once its forecasts are read. Throws
 * {@link InvalidEvaluationInputError} on malformed data or forecasts and
 * {@link NoWalkForwardFoldsError} when the plan has no fold.
 */
export async function runWalkForward(
  data: WalkForwardData,
  fit: FoldFitter,
  options: WalkForwardOptions,
): Promise<WalkForwardResult> {
  const checked = checkData(data);
  const { seasons } = checked;
  const baselines = Object.entries(options.baselines ?? {});
  for (const [name, source] of baselines) {
    if (name === MODEL_SERIES || name === '') {
      throw new InvalidEvaluationInputError('baselines', null, name, `a baseline cannot be named "${name}"`);
    }
    if (typeof source !== 'function' && source.length !== seasons.length) {
      throw new InvalidEvaluationInputError(`baselines.${name}`, null, `length ${source.length}`, `expected ${seasons.length}`);
    }
  }
  const plan = planWalkForward(Array.from(seasons), options);
  if (plan.folds.length === 0) {
    throw new NoWalkForwardFoldsError(formatSeasonRange(plan.range), distinctSeasons(Array.from(seasons)));
  }
  const rowsBySeason = new Map<number, number[]>();
  for (let r = 0; r < seasons.length; r++) {
    const season = seasons[r] as number;
    const list = rowsBySeason.get(season) ?? [];
    if (list.length === 0) rowsBySeason.set(season, list);
    list.push(r);
  }
  const seriesNames = [MODEL_SERIES, ...baselines.map(([name]) => name)];
  const allRows: number[] = [];
  const allValues = new Map<string, number[]>(seriesNames.map((name) => [name, []]));
  const allCompared: number[] = [];
  const folds: WalkForwardFoldResult[] = [];

  for (const fold of plan.folds) {
    const trainSet = new Set(fold.trainSeasons);
    const trainRows: number[] = [];
    for (let r = 0; r < seasons.length; r++) if (trainSet.has(seasons[r] as number)) trainRows.push(r);
    const testRows = rowsBySeason.get(fold.testSeason) ?? [];
    const info: Record<string, FoldInfo> = {};
    const values = new Map<string, Float64Array>();
    values.set(MODEL_SERIES, await forecast(MODEL_SERIES, fit, trainRows, testRows, fold, info, false));
    const missingByBaseline: Record<string, number> = {};
    for (const [name, source] of baselines) {
      const v =
        typeof source === 'function'
          ? await forecast(name, source, trainRows, testRows, fold, info, true)
          : column(name, source, testRows);
      values.set(name, v);
      missingByBaseline[name] = v.reduce((n, p) => n + (Number.isNaN(p) ? 1 : 0), 0);
    }
    const compared = Uint8Array.from(testRows, (_, i) =>
      seriesNames.every((name) => !Number.isNaN(values.get(name)?.[i] ?? NaN)) ? 1 : 0,
    );
    const comparedRows = compared.reduce((n, c) => n + c, 0);
    const scored = (name: string): ScoredForecast[] => scoredRows(checked, testRows, values.get(name), compared);
    folds.push(
      Object.freeze({
        ...fold,
        trainRows: trainRows.length,
        testRows: testRows.length,
        comparedRows,
        excludedRows: testRows.length - comparedRows,
        missingByBaseline: Object.freeze(missingByBaseline),
        info: Object.freeze(info),
        metrics: comparedRows === 0 ? null : bySeries(seriesNames, (name) => seriesMetrics(scored(name))),
      }),
    );
    testRows.forEach((r, i) => {
      allRows.push(r);
      allCompared.push(compared[i] ?? 0);
      for (const name of seriesNames) allValues.get(name)?.push(values.get(name)?.[i] ?? NaN);
    });
  }

  const rows = Int32Array.from(allRows);
  const compared = Uint8Array.from(allCompared);
  const series = bySeries(seriesNames, (name) => Float64Array.from(allValues.get(name) ?? []));
  const comparedRows = compared.reduce((n, c) => n + c, 0);
  return Object.freeze({
    plan,
    folds: Object.freeze(folds),
    predictions: Object.freeze({ rows, series, compared }),
    overall: Object.freeze({
      testRows: rows.length,
      comparedRows,
      excludedRows: rows.length - comparedRows,
      metrics:
        comparedRows === 0
          ? null
          : bySeries(seriesNames, (name) => seriesMetricsWithCalibration(scoredRows(checked, rows, series[name], compared))),
    }),
  });

}

/** The compared rows (`keep[i] === 1`) of `testRows` as forecasts with their outcomes. */
function scoredRows(
  data: CheckedData,
  testRows: ArrayLike<number>,
  probabilities: ArrayLike<number> | undefined,
  keep: Uint8Array,
): ScoredForecast[] {
  const out: ScoredForecast[] = [];
  for (let i = 0; i < testRows.length; i++) {
    if (keep[i] !== 1) continue;
    const r = testRows[i] as number;
    out.push({
      probability: probabilities?.[i] ?? NaN,
      outcome: data.outcomes[r] as Outcome,
      season: data.seasons[r] as number,
      playoff: data.playoff(r),
    });
  }
  return out;
}

function bySeries<T>(names: readonly string[], f: (name: string) => T): Readonly<Record<string, T>> {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, f(name)])));
}

async function forecast(
  name: string,
  fitter: FoldFitter,
  trainRows: readonly number[],
  testRows: readonly number[],
  fold: WalkForwardFold,
  info: Record<string, FoldInfo>,
  mayBeMissing: boolean,
): Promise<Float64Array> {
  const predictor = await fitter(Object.freeze([...trainRows]), fold);
  let raw: ArrayLike<number | null>;
  try {
    raw = await predictor.predict(Object.freeze([...testRows]));
  } finally {
    predictor.dispose?.();
  }
  if (predictor.info !== undefined) info[name] = Object.freeze({ ...predictor.info });
  if (raw.length !== testRows.length) {
    const reason = `season ${fold.testSeason} has ${testRows.length} test rows`;
    throw new InvalidEvaluationInputError(name, null, `${raw.length} forecasts`, reason);
  }
  const out = new Float64Array(testRows.length);
  for (let i = 0; i < testRows.length; i++) {
    out[i] = checkProbability(name, testRows[i] ?? i, raw[i], mayBeMissing);
  }
  return out;
}

function column(name: string, source: ArrayLike<number | null>, testRows: readonly number[]): Float64Array {
  return Float64Array.from(testRows, (r) => checkProbability(name, r, source[r], true));
}

function checkProbability(name: string, row: number, value: number | null | undefined, mayBeMissing: boolean): number {
  if (value === null || value === undefined || Number.isNaN(value)) {
    if (mayBeMissing) return Number.NaN;
    throw new InvalidEvaluationInputError(name, row, value, 'the model must forecast every test row');
  }
  if (!(value >= 0 && value <= 1)) throw new InvalidEvaluationInputError(name, row, value, 'must be a probability in [0, 1]');
  return value;
}

interface CheckedData {
  readonly seasons: ArrayLike<number>;
  readonly outcomes: ArrayLike<number>;
  readonly playoff: (row: number) => boolean;
}

function checkData(data: WalkForwardData): CheckedData {
  const n = data.seasons.length;
  if (data.outcomes.length !== n) {
    throw new InvalidEvaluationInputError('outcomes', null, `length ${data.outcomes.length}`, `seasons has ${n} rows`);
  }
  if (data.playoff !== undefined && data.playoff.length !== n) {
    throw new InvalidEvaluationInputError('playoff', null, `length ${data.playoff.length}`, `seasons has ${n} rows`);
  }
  for (let r = 0; r < n; r++) {
    if (!isOutcome(data.outcomes[r])) throw new InvalidEvaluationInputError('outcomes', r, data.outcomes[r], 'must be 0, 0.5 or 1');
  }
  const playoffColumn = data.playoff;
  return {
    seasons: data.seasons,
    outcomes: data.outcomes,
    playoff: playoffColumn === undefined ? () => false : (r) => playoffColumn[r] === true,
  };
}

function distinctSeasons(seasons: Iterable<number>): number[] {
  const set = new Set<number>();
  let i = 0;
  for (const season of seasons) {
    if (!Number.isSafeInteger(season)) throw new InvalidEvaluationInputError('seasons', i, season, 'must be an integer');
    set.add(season);
    i += 1;
  }
  return [...set].sort((a, b) => a - b);
}
