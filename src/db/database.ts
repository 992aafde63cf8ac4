import type { FeatureDefinitionsTable } from './tables/feature-definitions.table.js';
import type { FeaturesHistoricalTable } from './tables/features-historical.table.js';
import type { ModelTrainingRunsTable } from './tables/model-training-runs.table.js';
import type { TradingTables } from './tables/trading-tables.js';
import type { TrainingDatasetsTable } from './tables/training-datasets.table.js';

/** Every table and view Precog reads or writes, for Kysely's typing. */
export interface Database extends TradingTables {
  feature_definitions: FeatureDefinitionsTable;
  features_historical: FeaturesHistoricalTable;
  training_datasets: TrainingDatasetsTable;
  model_training_runs: ModelTrainingRunsTable;
}
