/**
 * The JSON the UI's API returns: the one contract between `src/ui` (the server) and `web/`
 * (the browser code imports these types). Types only — nothing here runs.
 *
 * Instants are ISO-8601 text; prices and probabilities of the trading schema are exact
 * decimal text (`'0.6500'`), as the database returns them; model metrics are numbers.
 */

/** Every error response: `{ "error": "<one readable sentence>" }`. */
export interface ApiError {
  readonly error: string;
}

/** Named metric values (`brier`, `log_loss`, `accuracy`, `ece`, …); only finite numbers. */
export type MetricSet = Readonly<Record<string, number>>;

/** One bin of a run's calibration table. */
export interface CalibrationBinView {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanProbability: number | null;
  readonly observedRate: number | null;
}

/** One season of a walk-forward evaluation. */
export interface SeasonMetrics {
  readonly season: string;
  readonly metrics: MetricSet;
  /** The same season's metrics of each baseline, when the run logged them. */
  readonly baselines: Readonly<Record<string, MetricSet>>;
}

/** A run's metrics, normalized: a part the run did not log (or logged malformed) is empty. */
export interface RunMetricsView {
  readonly overall: MetricSet;
  readonly per_season: readonly SeasonMetrics[];
  readonly baselines: Readonly<Record<string, MetricSet>>;
  readonly calibration: readonly CalibrationBinView[];
}

export interface FeatureListItem {
  readonly ref: string;
  readonly feature_id: number;
  readonly name: string;
  readonly version: string;
  readonly entity_type: string;
  readonly sport: string | null;
  readonly category: string;
  readonly unit: string | null;
  readonly description: string;
  readonly status: string;
  /** Distinct `external_source` values of the feature's history. */
  readonly sources: readonly string[];
  readonly value_count: number;
  readonly entity_count: number;
  readonly first_timestamp: string | null;
  readonly last_timestamp: string | null;
}

/** An entity a feature has values for; `entity` is what `/values?entity=` accepts. */
export interface FeatureEntity {
  readonly entity: string;
  readonly label: string | null;
  readonly value_count: number;
}

export interface FeatureDetail extends FeatureListItem {
  readonly data_type: string;
  readonly calculation_method: unknown;
  readonly created_at: string;
  readonly created_by: string | null;
  /** The entities with the most values (at most 200). */
  readonly entities: readonly FeatureEntity[];
}

/** One event time of a feature's history for one entity: the latest correction's value. */
export interface FeaturePoint {
  readonly timestamp: string;
  readonly value: number;
  readonly available_at: string;
  /** How many versions (original + corrections) were stored for this event time. */
  readonly versions: number;
}

export interface FeatureValuesResponse {
  readonly ref: string;
  readonly entity: string;
  readonly points: readonly FeaturePoint[];
  /** True when older points were left out to respect `limit`. */
  readonly truncated: boolean;
}

export interface DatasetListItem {
  readonly ref: string;
  readonly dataset_id: number;
  readonly name: string;
  readonly version: string;
  readonly sport: string | null;
  readonly start_date: string | null;
  readonly end_date: string | null;
  readonly row_count: number;
  readonly feature_count: number;
  readonly target_variable: string;
  readonly sha256: string | null;
  readonly created_at: string;
}

export interface ColumnAuditView {
  readonly column: string;
  readonly rows: number;
  readonly nulls: number;
  readonly null_fraction: number;
  readonly max_lead_ms: number | null;
  readonly max_knowledge_lead_ms: number | null;
  readonly staleness_hours: { readonly median: number | null; readonly p95: number | null; readonly max: number | null };
}

export interface DatasetDetail extends DatasetListItem {
  readonly spec: unknown;
  readonly features: readonly { readonly feature_id: number; readonly ref: string | null; readonly entity_type: string | null }[];
  readonly columns: readonly string[];
  readonly file_path: string | null;
  readonly bytes: number | null;
  readonly knowledge_cutoff: string;
  readonly audit: {
    /** False when any column used a value from after its label time (or, in known-at mode, known after it). */
    readonly passed: boolean;
    readonly problems: readonly string[];
    readonly rows: number | null;
    readonly columns: readonly ColumnAuditView[];
  };
  readonly runs: readonly { readonly run_id: number; readonly status: string; readonly model: string }[];
}

export interface RunModelView {
  readonly model_id: number;
  readonly ref: string;
  readonly approach: string;
}

export interface RunSummary {
  readonly run_id: number;
  readonly status: string;
  readonly model: RunModelView;
  readonly dataset: { readonly dataset_id: number; readonly ref: string } | null;
  readonly duration_seconds: number | null;
  readonly created_at: string;
  readonly completed_at: string | null;
  readonly backend: string | null;
  readonly overall: MetricSet;
  readonly baselines: Readonly<Record<string, MetricSet>>;
}

export interface RunDetail extends RunSummary {
  readonly hyperparameters: unknown;
  readonly metrics: RunMetricsView;
  readonly raw_metrics: unknown;
  readonly artifacts: unknown;
  readonly error_message: string | null;
}

/** A scalar shown in a comparison cell; objects and arrays arrive as JSON text. */
export type ComparisonValue = string | number | boolean | null;

export interface ComparisonRow {
  readonly key: string;
  /** One value per compared run, in the order of `runs`. */
  readonly values: readonly ComparisonValue[];
  readonly differs: boolean;
  /** Index of the best value for a metric with a known direction (lower Brier, higher accuracy). */
  readonly best: number | null;
}

export interface RunComparison {
  readonly runs: readonly RunDetail[];
  readonly hyperparameters: readonly ComparisonRow[];
  readonly metrics: readonly ComparisonRow[];
}

export interface EdgeRunView {
  readonly calculation_run_id: string;
  readonly detected_at: string;
  readonly edge_count: number;
  readonly models: readonly string[];
}

export interface EdgeView {
  readonly edge_id: string;
  readonly market_id: string;
  readonly ticker: string | null;
  readonly title: string;
  readonly side: string;
  readonly model: string;
  readonly training_run_id: number | null;
  readonly true_win_probability: string;
  readonly market_implied_probability: string;
  readonly market_price: string;
  /** Model probability − market-implied probability, exact decimal text. */
  readonly edge: string;
  readonly expected_value: string;
  readonly confidence_level: string | null;
  readonly recommended_action: string | null;
  /** False when a later change superseded or closed this version. */
  readonly current: boolean;
}

export interface EdgesResponse {
  /** The detection run shown (the latest unless `?run=` chose one); null when there are no edges. */
  readonly run: EdgeRunView | null;
  /** The most recent detection runs, newest first (at most 50). */
  readonly runs: readonly EdgeRunView[];
  readonly edges: readonly EdgeView[];
}
