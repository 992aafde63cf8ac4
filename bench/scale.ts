/**
 * How much data a benchmark run generates and measures. Every count is derived from
 * these numbers, and the generator is seeded by `seed`, so a scale names one exact data set.
 */
export interface BenchScale {
  readonly name: string;
  readonly seed: number;
  /** Team features `f00@1` … (each a series per team). */
  readonly features: number;
  /** Teams `T00` … */
  readonly teams: number;
  /** Seasons of history, starting with {@link FIRST_SEASON}. */
  readonly years: number;
  /** Values per (feature, team) series over the whole history. */
  readonly valuesPerSeries: number;
  /** Games used as labels by the point-in-time build. */
  readonly labels: number;
  /** Labels of the peak-RSS build (the first `labels` games plus more). */
  readonly rssLabels: number;
  /** SCD2 business keys (markets) and updates spread over them. */
  readonly scd2Keys: number;
  readonly scd2Updates: number;
  /** Rows written and read back by the Arrow scenario. */
  readonly arrowRows: number;
}

export const FIRST_SEASON = 2005;

/** The scale: 10 features × 32 teams × 20 years = 1,000,000 rows, 50k labels. */
export const DEFAULT_SCALE: BenchScale = {
  name: 'default',
  seed: 20_240_901,
  features: 10,
  teams: 32,
  years: 20,
  valuesPerSeries: 3125,
  labels: 50_000,
  rssLabels: 1_000_000,
  scd2Keys: 1000,
  scd2Updates: 100_000,
  arrowRows: 1_000_000,
};

/** `--quick`: a tenth of the history, for a run under two minutes. */
export const QUICK_SCALE: BenchScale = {
  ...DEFAULT_SCALE,
  name: 'quick',
  valuesPerSeries: 313,
  labels: 5000,
  rssLabels: 50_000,
  scd2Keys: 100,
  scd2Updates: 5000,
  arrowRows: 200_000,
};

/** The test suite's scale: a few hundred rows, enough to compare every value. */
export const TINY_SCALE: BenchScale = {
  name: 'tiny',
  seed: 7,
  features: 3,
  teams: 6,
  years: 2,
  valuesPerSeries: 40,
  labels: 120,
  rssLabels: 200,
  scd2Keys: 10,
  scd2Updates: 60,
  arrowRows: 1000,
};

export const SCALES: Readonly<Record<string, BenchScale>> = {
  default: DEFAULT_SCALE,
  quick: QUICK_SCALE,
  tiny: TINY_SCALE,
};

/** Feature rows the generator writes at this scale. */
export function featureRowCount(scale: BenchScale): number {
  return scale.features * scale.teams * scale.valuesPerSeries;
}

/** `f00`, `f01`, … */
export function featureName(index: number): string {
  return `f${String(index).padStart(2, '0')}`;
}

/** `T00`, `T01`, … */
export function teamCode(index: number): string {
  return `T${String(index).padStart(2, '0')}`;
}
