import type { ColumnType, GeneratedAlways, InsertType, SelectType } from 'kysely';

/** A `GENERATED ALWAYS AS IDENTITY` key: read as a number, never inserted or updated. */
export type Identity = GeneratedAlways<number>;

/** TIMESTAMPTZ: a Date when read; a Date or ISO-8601 text when written. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** TIMESTAMPTZ with a default (`now()`): optional on insert. */
export type TimestampWithDefault = ColumnType<Date, Date | string | undefined, Date | string>;

/** A nullable TIMESTAMPTZ. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** `created_at`: set by the database on insert unless given, never changed afterwards. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/**
 * DECIMAL/NUMERIC as exact decimal text both ways (e.g. `'0.6500'`): prices, probabilities
 * and money never pass through a JS float. Both engines are configured to return NUMERIC
 * as text.
 */
export type Decimal = string;

/** DATE as `'YYYY-MM-DD'` text (both engines are configured to return DATE as text). */
export type DateString = string;

/**
 * A column with a database default: optional on insert, updatable when the table allows
 * it.
 */
export type WithDefault<S> = ColumnType<S, S | undefined, S>;

/**
 * Marks a column as write-once: its select and insert types are kept and updating it is a
 * type error. Mirrors the database triggers that reject such updates.
 */
export type Frozen<C> = ColumnType<SelectType<C>, InsertType<C>, never>;

/** Every column of `C` made write-once (see {@link Frozen}). */
export type FrozenColumns<C> = { [K in keyof C]: Frozen<C[K]> };

/** An append-only table: rows are inserted, never updated (nor deleted). */
export type AppendOnlyTable<C> = FrozenColumns<C>;

/**
 * The read-only shape of a view over a table: every column selectable, none insertable or
 * updatable through Kysely (the views are plain SQL views over current rows).
 */
export type ReadonlyView<T> = { [K in keyof T]: ColumnType<SelectType<T[K]>, never, never> };
