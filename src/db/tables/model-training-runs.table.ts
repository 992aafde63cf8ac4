import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** `model_training_runs`: one training/evaluation run, running → completed | failed. */
export interface ModelTrainingRunsTable {
  run_id: Generated<number>;
  model_id: number;
  dataset_id: number | null;
  hyperparameters: ColumnType<unknown, string, never>;
  metrics: ColumnType<unknown, string | null | undefined, string | null>;
  training_duration_seconds: number | null;
  status: ColumnType<string, string | undefined, string>;
  error_message: string | null;
  artifacts: ColumnType<unknown, string | null | undefined, string | null>;
  backend: string | null;
  heartbeat_at: ColumnType<Date, Date | string | undefined, Date | string>;
  pid: number | null;
  hostname: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  completed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export type TrainingRunRow = Selectable<ModelTrainingRunsTable>;
export type NewTrainingRunRow = Insertable<ModelTrainingRunsTable>;
export type TrainingRunUpdate = Updateable<ModelTrainingRunsTable>;
