import { z } from 'zod';
import { AUTH_METHODS, PLATFORM_STATUSES, PLATFORM_TYPES } from '../../db/tables/check-values.js';
import type { Platform } from '../../db/tables/platforms.table.js';
import { TradingRecordNotFoundError } from './errors.js';
import { guardedWrite, type Executor } from './executor.js';
import { definedOnly, jsonObject, keyText, oneOf, parseInput, text } from './input.js';

/** A new platform (spec §1). */
export const PlatformInputSchema = z
  .object({
    platform_id: text(50),
    platform_type: oneOf(PLATFORM_TYPES),
    display_name: text(100),
    base_url: text(255).nullable().optional(),
    websocket_url: text(255).nullable().optional(),
    api_version: text(20).nullable().optional(),
    auth_method: oneOf(AUTH_METHODS).nullable().optional(),
    fees_structure: jsonObject.nullable().optional(),
    status: oneOf(PLATFORM_STATUSES).optional(),
  })
  .strict();
export type PlatformInput = z.input<typeof PlatformInputSchema>;

/** An in-place change of a platform: any column but the key. */
export const PlatformChangesSchema = PlatformInputSchema.omit({ platform_id: true }).partial().strict();
export type PlatformChanges = z.input<typeof PlatformChangesSchema>;

/**
 * Adds a platform. Rules: `platform_type`, `auth_method` and `status` are checked against
 * their CHECK lists before the database is touched; a duplicate `platform_id` is a
 * ConstraintViolationError. `status` defaults to `active`.
 */
export async function createPlatform(db: Executor, input: PlatformInput): Promise<Platform> {
  const key = keyText(['platform_id'], input);
  const row = parseInput(PlatformInputSchema, input, 'platforms', key);
  return guardedWrite(`platforms ${key}`, () =>
    db.insertInto('platforms').values(row).returningAll().executeTakeFirstOrThrow(),
  );
}

/**
 * Changes a platform in place (platforms are not versioned). Omitted fields are kept,
 * `null` clears a nullable one. Throws TradingRecordNotFoundError for an unknown id.
 */
export async function updatePlatform(db: Executor, platformId: string, changes: PlatformChanges): Promise<Platform> {
  const key = `platform_id=${platformId}`;
  const set = definedOnly(parseInput(PlatformChangesSchema, changes, 'platforms', key));
  return guardedWrite(`platforms ${key}`, async () => {
    const query = db.updateTable('platforms').where('platform_id', '=', platformId);
    const row =
      Object.keys(set).length === 0
        ? await db.selectFrom('platforms').selectAll().where('platform_id', '=', platformId).executeTakeFirst()
        : await query.set(set).returningAll().executeTakeFirst();
    if (!row) throw new TradingRecordNotFoundError(`platforms ${key} does not exist`, { table: 'platforms', key });
    return row;
  });
}

/** The platform with that id, or undefined. */
export async function getPlatform(db: Executor, platformId: string): Promise<Platform | undefined> {
  return db.selectFrom('platforms').selectAll().where('platform_id', '=', platformId).executeTakeFirst();
}

/** Every platform, by id. */
export async function listPlatforms(db: Executor): Promise<Platform[]> {
  return db.selectFrom('platforms').selectAll().orderBy('platform_id').execute();
}
