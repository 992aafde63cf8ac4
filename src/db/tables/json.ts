import type { ColumnType } from 'kysely';

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;

/** A JSON array. */
export type JsonArray = JsonValue[];

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Any JSON value, as both drivers return a JSONB column (already parsed). */
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;

/**
 * What a JSONB column accepts on insert and update: JSON text (`JSON.stringify(value)`)
 * or a plain object. Both pg and PGlite stringify a plain object themselves, but pg sends a
 * top-level JS array as a PostgreSQL array literal (`{1,2}`), which is not JSON, and
 * both engines read a JS string as JSON text — so arrays and scalars must go in as text.
 */
export type JsonInput = string | JsonObject;

/** A NOT NULL JSONB column without a default. */
export type Json = ColumnType<JsonValue, JsonInput, JsonInput>;

/** A NOT NULL JSONB column with a default (optional on insert). */
export type JsonWithDefault = ColumnType<JsonValue, JsonInput | undefined, JsonInput>;

/** A NOT NULL JSONB column with a default whose CHECK keeps it a JSON object. */
export type JsonObjectWithDefault = ColumnType<JsonObject, JsonInput | undefined, JsonInput>;

/** A nullable JSONB column. */
export type NullableJson = ColumnType<JsonValue | null, JsonInput | null | undefined, JsonInput | null>;
