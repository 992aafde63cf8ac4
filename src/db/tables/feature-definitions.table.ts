import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** `feature_definitions`: one immutable version of a feature (only `status` changes). */
export interface FeatureDefinitionsTable {
  feature_id: Generated<number>;
  feature_name: string;
  feature_version: string;
  entity_type: string;
  sport: string | null;
  category: string;
  data_type: ColumnType<string, string | undefined, never>;
  unit: string | null;
  description: string;
  calculation_method: ColumnType<unknown, string, never>;
  status: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string | null;
}
export type FeatureDefinitionRow = Selectable<FeatureDefinitionsTable>;
export type NewFeatureDefinitionRow = Insertable<FeatureDefinitionsTable>;
