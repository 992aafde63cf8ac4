import type { Insertable, Selectable, Updateable } from 'kysely';
import type { GameStatus, Possession, Sport } from './check-values.js';
import type { Decimal, ReadonlyView, WithDefault } from './column-types.js';
import type { NullableJson } from './json.js';
import type { Scd2Table } from './scd2-columns.js';

/** The versioned columns of `game_states` (spec §5). */
export interface GameStateColumns {
  /** Business key, with `external_game_id`: the feed that produced the state. */
  platform_id: string;
  external_game_id: string;
  event_id: string | null;
  sport: Sport;
  home_team_id: number | null;
  away_team_id: number | null;
  home_score: WithDefault<number>;
  away_score: WithDefault<number>;
  /** 0 = pregame, 1..n periods, above regulation = overtime. */
  period: WithDefault<number>;
  /** Seconds left in the period, DECIMAL(8,2). */
  clock_seconds: Decimal | null;
  clock_display: string | null;
  possession: Possession | null;
  status: GameStatus;
  sport_metadata: NullableJson;
}

/** `game_states` (SCD2, business key `(platform_id, external_game_id)`): live score and clock. */
export interface GameStatesTable extends Scd2Table<GameStateColumns> {}

export type GameState = Selectable<GameStatesTable>;
export type NewGameState = Insertable<GameStatesTable>;
/** Only the close-out (`row_current_ind: false`, `row_end_ts`) can be updated. */
export type GameStateUpdate = Updateable<GameStatesTable>;

/** `current_game_states`: the current version of every game, finished games included. */
export interface CurrentGameStatesView extends ReadonlyView<GameStatesTable> {}
