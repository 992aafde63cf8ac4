import { z } from 'zod';
import { MARKET_CATEGORIES, SERIES_FREQUENCIES } from '../../db/tables/check-values.js';
import type { Series } from '../../db/tables/series.table.js';
import { TradingRecordNotFoundError } from './errors.js';
import { guardedWrite, type Executor } from './executor.js';
import { definedOnly, jsonObject, keyText, oneOf, parseInput, text } from './input.js';

/** A new series (spec §2). */
export const SeriesInputSchema = z
  .object({
    series_id: text(100),
    platform_id: text(50),
    external_id: text(100),
    category: oneOf(MARKET_CATEGORIES),
    subcategory: text(50).nullable().optional(),
    title: text(255),
    frequency: oneOf(SERIES_FREQUENCIES).nullable().optional(),
    metadata: jsonObject.nullable().optional(),
  })
  .strict();
export type SeriesInput = z.input<typeof SeriesInputSchema>;

/** An in-place change of a series: any column but the key. */
export const SeriesChangesSchema = SeriesInputSchema.omit({ series_id: true }).partial().strict();
export type SeriesChanges = z.input<typeof SeriesChangesSchema>;

/**
 * Adds a series. Rules: `category` and `frequency` are checked against their CHECK lists
 * before the database is touched; the platform must exist, and `(platform_id,
 * external_id)` must be new (ConstraintViolationError otherwise).
 */
export async function createSeries(db: Executor, input: SeriesInput): Promise<Series> {
  const key = keyText(['series_id'], input);
  const row = parseInput(SeriesInputSchema, input, 'series', key);
  return guardedWrite(`series ${key}`, () =>
    db.insertInto('series').values(row).returningAll().executeTakeFirstOrThrow(),
  );
}

/**
 * Changes a series in place (Type 1: no history; the database bumps `updated_at`).
 * Omitted fields are kept, `null` clears a nullable one. Throws TradingRecordNotFoundError
 * for an unknown id.
 */
export async function updateSeries(db: Executor, seriesId: string, changes: SeriesChanges): Promise<Series> {
  const key = `series_id=${seriesId}`;
  const set = definedOnly(parseInput(SeriesChangesSchema, changes, 'series', key));
  return guardedWrite(`series ${key}`, async () => {
    const row =
      Object.keys(set).length === 0
        ? await getSeries(db, seriesId)
        : await db.updateTable('series').set(set).where('series_id', '=', seriesId).returningAll().executeTakeFirst();
    if (!row) throw new TradingRecordNotFoundError(`series ${key} does not exist`, { table: 'series', key });
    return row;
  });
}

/** The series with that id, or undefined. */
export async function getSeries(db: Executor, seriesId: string): Promise<Series | undefined> {
  return db.selectFrom('series').selectAll().where('series_id', '=', seriesId).executeTakeFirst();
}

/** Series, optionally of one platform and/or category, by id. */
export async function listSeries(
  db: Executor,
  filter: { platform_id?: string; category?: Series['category'] } = {},
): Promise<Series[]> {
  let query = db.selectFrom('series').selectAll().orderBy('series_id');
  if (filter.platform_id !== undefined) query = query.where('platform_id', '=', filter.platform_id);
  if (filter.category !== undefined) query = query.where('category', '=', filter.category);
  return query.execute();
}
