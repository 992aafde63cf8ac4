import type { ColumnType } from 'kysely';
import type { CreatedAt, Frozen, Identity } from './column-types.js';

/**
 * The SCD2 block every versioned table carries (spec §0). On a stored version only the
 * close-out may be written: `row_current_ind` can only become `false` and `row_end_ts` can
 * only be set, never cleared — the same rule the database triggers enforce.
 */
export interface Scd2Columns {
  id: Identity;
  row_current_ind: ColumnType<boolean, boolean | undefined, false>;
  row_start_ts: ColumnType<Date, Date | string | undefined, never>;
  row_end_ts: ColumnType<Date | null, Date | string | null | undefined, Date | string>;
  created_at: CreatedAt;
}

/**
 * An SCD2 table: its own columns `C` (write-once, except the `InPlace` ones that may be
 * updated on the current row) plus the {@link Scd2Columns} block.
 */
export type Scd2Table<C, InPlace extends keyof C = never> = {
  [K in keyof C]: K extends InPlace ? C[K] : Frozen<C[K]>;
} & Scd2Columns;
