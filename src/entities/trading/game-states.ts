import { z } from 'zod';
import { asOf, history, updateVersion, upsertVersion, type VersionedWriteOptions } from '../../db/scd2.js';
import { GAME_STATUSES, POSSESSIONS, SPORTS, type GameStatus } from '../../db/tables/check-values.js';
import type { GameState } from '../../db/tables/game-states.table.js';
import { CLOCK_SECONDS, decimalSchema } from './decimal.js';
import { guardedWrite, type Executor } from './executor.js';
import { definedOnly, integer, jsonObject, keyText, oneOf, parseInput, rowId, smallCount, text } from './input.js';
import type { VersionedResult } from './markets.js';

/** The business key of a game state: the feed and its game id. */
export interface GameKey {
  readonly platform_id: string;
  readonly external_game_id: string;
}

/** A full game state, as one feed tick reports it (spec §5). */
export const GameStateInputSchema = z
  .object({
    platform_id: text(50),
    external_game_id: text(100),
    event_id: text(100).nullable().optional(),
    sport: oneOf(SPORTS),
    home_team_id: rowId.nullable().optional(),
    away_team_id: rowId.nullable().optional(),
    home_score: integer(0).optional(),
    away_score: integer(0).optional(),
    period: smallCount.optional(),
    clock_seconds: decimalSchema(CLOCK_SECONDS).nullable().optional(),
    clock_display: text(20).nullable().optional(),
    possession: oneOf(POSSESSIONS).nullable().optional(),
    status: oneOf(GAME_STATUSES),
    sport_metadata: jsonObject.nullable().optional(),
  })
  .strict();
export type GameStateInput = z.input<typeof GameStateInputSchema>;

/** A change of a game state: any versioned column but the business key. */
export const GameStateChangesSchema = GameStateInputSchema.omit({ platform_id: true, external_game_id: true })
  .partial()
  .strict();
export type GameStateChanges = z.input<typeof GameStateChangesSchema>;

const KEY_COLUMNS = ['platform_id', 'external_game_id'] as const;

/**
 * Records a feed tick: version 1 of a new game, otherwise a new version when anything
 * changed (no empty versions). Omitted optional fields keep their stored value (scores and
 * period default to 0 on version 1). Rules checked before the database is touched: scores,
 * period and clock_seconds >= 0, `sport`, `status` and `possession` in their CHECK lists.
 * `options.at` is the tick's time (default: now).
 */
export async function recordGameState(
  db: Executor,
  input: GameStateInput,
  options: VersionedWriteOptions = {},
): Promise<VersionedResult<GameState>> {
  const key = keyText(KEY_COLUMNS, input);
  const parsed = parseInput(GameStateInputSchema, input, 'game_states', key);
  return guardedWrite(`game_states ${key}`, async () => {
    const { version, changed } = await upsertVersion(db, 'game_states', definedOnly(parsed) as typeof parsed, options);
    return { row: version as unknown as GameState, changed };
  });
}

/**
 * Applies a change to a game's current state as a new version (spec §0; none when nothing
 * changed). Same field rules as {@link recordGameState}. A VersioningError when the game
 * has no current version or `at` is before it.
 */
export async function updateGameState(
  db: Executor,
  game: GameKey,
  changes: GameStateChanges,
  options: VersionedWriteOptions = {},
): Promise<VersionedResult<GameState>> {
  const key = keyText(KEY_COLUMNS, game);
  const content = definedOnly(parseInput(GameStateChangesSchema, changes, 'game_states', key));
  return guardedWrite(`game_states ${key}`, async () => {
    const target = { platform_id: game.platform_id, external_game_id: game.external_game_id };
    const { version, changed } = await updateVersion(db, 'game_states', target, content, options);
    return { row: version as unknown as GameState, changed };
  });
}

/** The current state of a game, or undefined. */
export async function getCurrentGameState(db: Executor, game: GameKey): Promise<GameState | undefined> {
  return db
    .selectFrom('current_game_states')
    .selectAll()
    .where('platform_id', '=', game.platform_id)
    .where('external_game_id', '=', game.external_game_id)
    .executeTakeFirst();
}

/** The state of a game current at `t`, or undefined. */
export async function getGameStateAsOf(db: Executor, game: GameKey, t: Date): Promise<GameState | undefined> {
  const key = { platform_id: game.platform_id, external_game_id: game.external_game_id };
  return (await asOf(db, 'game_states', key, t)) as unknown as GameState | undefined;
}

/** Every version of a game's state, oldest first. */
export async function getGameStateHistory(db: Executor, game: GameKey): Promise<GameState[]> {
  const key = { platform_id: game.platform_id, external_game_id: game.external_game_id };
  return (await history(db, 'game_states', key)) as unknown as GameState[];
}

/** The current state of every game (the `current_game_states` view), optionally filtered. */
export async function listCurrentGameStates(
  db: Executor,
  filter: { event_id?: string; status?: GameStatus } = {},
): Promise<GameState[]> {
  let query = db.selectFrom('current_game_states').selectAll().orderBy('platform_id').orderBy('external_game_id');
  if (filter.event_id !== undefined) query = query.where('event_id', '=', filter.event_id);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.execute();
}
