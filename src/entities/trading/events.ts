import { z } from 'zod';
import { EVENT_STATUSES, MARKET_CATEGORIES, SPORTS } from '../../db/tables/check-values.js';
import type { Event } from '../../db/tables/events.table.js';
import { TradingRecordNotFoundError } from './errors.js';
import { guardedWrite, type Executor } from './executor.js';
import {
  definedOnly,
  integer,
  jsonObject,
  jsonValue,
  keyText,
  oneOf,
  parseInput,
  rowId,
  smallCount,
  text,
  timestamp,
} from './input.js';

const EventFields = z
  .object({
    event_id: text(100),
    platform_id: text(50),
    series_id: text(100).nullable().optional(),
    external_id: text(100),
    category: oneOf(MARKET_CATEGORIES),
    subcategory: text(50).nullable().optional(),
    title: text(255),
    description: z.string().nullable().optional(),
    start_time: timestamp.nullable().optional(),
    end_time: timestamp.nullable().optional(),
    status: oneOf(EVENT_STATUSES).nullable().optional(),
    home_team_id: rowId.nullable().optional(),
    away_team_id: rowId.nullable().optional(),
    sport: oneOf(SPORTS).nullable().optional(),
    season: smallCount.nullable().optional(),
    week: text(20).nullable().optional(),
    is_playoff: z.boolean().nullable().optional(),
    is_neutral_site: z.boolean().nullable().optional(),
    home_score: integer(0).nullable().optional(),
    away_score: integer(0).nullable().optional(),
    result: jsonValue.nullable().optional(),
    metadata: jsonObject.nullable().optional(),
  })
  .strict();

function endNotBeforeStart(value: { start_time?: Date | null; end_time?: Date | null }, ctx: z.RefinementCtx) {
  if (value.start_time && value.end_time && value.end_time.getTime() < value.start_time.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'must not be before start_time' });
  }
}

/** A new event (spec §3, with the typed game columns of migration 0001). */
export const EventInputSchema = EventFields.superRefine(endNotBeforeStart);
export type EventInput = z.input<typeof EventInputSchema>;

/** An in-place change of an event: any column but the key. */
export const EventChangesSchema = EventFields.omit({ event_id: true })
  .partial()
  .strict()
  .superRefine(endNotBeforeStart);
export type EventChanges = z.input<typeof EventChangesSchema>;

/**
 * Adds an event. Rules checked before the database is touched: `category`, `status` and
 * `sport` in their CHECK lists, scores >= 0, `end_time` not before `start_time`. The
 * platform, series and teams must exist and `(platform_id, external_id)` must be new
 * (ConstraintViolationError otherwise).
 */
export async function createEvent(db: Executor, input: EventInput): Promise<Event> {
  const key = keyText(['event_id'], input);
  const row = parseInput(EventInputSchema, input, 'events', key);
  return guardedWrite(`events ${key}`, () =>
    db.insertInto('events').values(row).returningAll().executeTakeFirstOrThrow(),
  );
}

/**
 * Changes an event in place (Type 1: no history; the database bumps `updated_at`).
 * Omitted fields are kept, `null` clears a nullable one. When only one of
 * `start_time`/`end_time` changes, their order is checked by the database. Throws
 * TradingRecordNotFoundError for an unknown id.
 */
export async function updateEvent(db: Executor, eventId: string, changes: EventChanges): Promise<Event> {
  const key = `event_id=${eventId}`;
  const set = definedOnly(parseInput(EventChangesSchema, changes, 'events', key));
  return guardedWrite(`events ${key}`, async () => {
    const row =
      Object.keys(set).length === 0
        ? await getEvent(db, eventId)
        : await db.updateTable('events').set(set).where('event_id', '=', eventId).returningAll().executeTakeFirst();
    if (!row) throw new TradingRecordNotFoundError(`events ${key} does not exist`, { table: 'events', key });
    return row;
  });
}

/** The event with that id, or undefined. */
export async function getEvent(db: Executor, eventId: string): Promise<Event | undefined> {
  return db.selectFrom('events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
}

/** Events, optionally of one series and/or status, by start time then id. */
export async function listEvents(
  db: Executor,
  filter: { series_id?: string; status?: NonNullable<Event['status']> } = {},
): Promise<Event[]> {
  let query = db.selectFrom('events').selectAll().orderBy('start_time').orderBy('event_id');
  if (filter.series_id !== undefined) query = query.where('series_id', '=', filter.series_id);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.execute();
}
