import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** `training_datasets`: a registered, immutable dataset file. */
export interface TrainingDatasetsTable {
  dataset_id: Generated<number>;
  dataset_name: string;
  dataset_version: string;
  sport: string | null;
  start_date: string | null;
  end_date: string | null;
  feature_ids: number[];
  target_variable: string;
  row_count: number;
  start_event_id: string | null;
  end_event_id: string | null;
  knowledge_cutoff: ColumnType<Date, Date | string, never>;
  metadata: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}
export type TrainingDatasetRow = Selectable<TrainingDatasetsTable>;
export type NewTrainingDatasetRow = Insertable<TrainingDatasetsTable>;
