import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { EventStatus } from '../../db/tables/check-values.js';
import type { JsonObject, JsonValue } from '../../db/tables/json.js';
import { nflKickoff } from './nfl-timeline.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The platforms an NFL game event can come from. */
export const NFL_EVENT_PLATFORMS = ['fivethirtyeight', 'spreadspoke'] as const;
export type NflEventPlatform = (typeof NFL_EVENT_PLATFORMS)[number];

/**
 * One NFL game as an importer describes it. `home` is the home team — or, at a neutral
 * site, the team the source lists first (538's team1) — and `away` the other, both as
 * franchise codes. Scores are null for a game not played yet.
 */
export interface NflGameInput {
  readonly platform: NflEventPlatform;
  readonly date: string;
  readonly season: number;
  readonly week: string | null;
  readonly playoff: boolean;
  readonly neutral: boolean;
  readonly home: string;
  readonly away: string;
  readonly homeScore: number | null;
  readonly awayScore: number | null;
  readonly metadata: JsonObject | null;
}

/** The `events` columns of an NFL game, as written. */
export interface NflEventRow {
  readonly event_id: string;
  readonly platform_id: NflEventPlatform;
  readonly external_id: string;
  readonly category: 'sports';
  readonly subcategory: 'nfl';
  readonly title: string;
  readonly start_time: Date;
  readonly status: EventStatus;
  readonly home_team_id: number;
  readonly away_team_id: number;
  readonly sport: 'nfl';
  readonly season: number;
  readonly week: string | null;
  readonly is_playoff: boolean;
  readonly is_neutral_site: boolean;
  readonly home_score: number | null;
  readonly away_score: number | null;
  readonly result: JsonObject | null;
  readonly metadata: JsonObject | null;
}

/** A column an upsert may change on an existing event. */
export type NflEventColumn = Exclude<keyof NflEventRow, 'event_id'>;

/** Every column but the key: what the source that owns an event may change. */
export const ALL_NFL_EVENT_COLUMNS: readonly NflEventColumn[] = [
  'platform_id', 'external_id', 'category', 'subcategory', 'title', 'start_time', 'status',
  'home_team_id', 'away_team_id', 'sport', 'season', 'week', 'is_playoff', 'is_neutral_site',
  'home_score', 'away_score', 'result', 'metadata',
];

/**
 * The deterministic id of a game: `nfl-<YYYY-MM-DD>-<away>-at-<home>` (e.g.
 * `nfl-2020-09-10-HOU-at-KC`), with franchise codes; at a neutral site `home` is the team the
 * source lists first.
 */
export function nflEventId(date: string, home: string, away: string): string {
  return `nfl-${date}-${away}-at-${home}`;
}

/** The source's own key of a game: `<date>:<home>:<away>` (538: `<date>:<team1>:<team2>`). */
export function nflExternalId(date: string, home: string, away: string): string {
  return `${date}:${home}:${away}`;
}

/** The home team's result: 1 win, 0 loss, 0.5 tie; null when the game has no score. */
export function homeResult(homeScore: number | null, awayScore: number | null): 1 | 0 | 0.5 | null {
  if (homeScore === null || awayScore === null) return null;
  return homeScore > awayScore ? 1 : homeScore < awayScore ? 0 : 0.5;
}

/**
 * The `events` row of a game: id from {@link nflEventId}, kickoff the default one of its
 * date, status `final` with a score and `scheduled` without, result `{"home_win": 1|0|0.5}`.
 * Throws when a team code has no team_id (sync the teams first).
 */
export function nflEventRow(game: NflGameInput, teamIds: ReadonlyMap<string, number>): NflEventRow {
  const teamId = (code: string) => {
    const id = teamIds.get(code);
    if (id === undefined) throw new Error(`NFL team ${code} is not in the teams table (sync the teams first)`);
    return id;
  };
  const result = homeResult(game.homeScore, game.awayScore);
  return {
    event_id: nflEventId(game.date, game.home, game.away),
    platform_id: game.platform,
    external_id: nflExternalId(game.date, game.home, game.away),
    category: 'sports',
    subcategory: 'nfl',
    title: `NFL ${game.date}: ${game.away} ${game.neutral ? 'vs' : 'at'} ${game.home}`,
    start_time: nflKickoff(game.date),
    status: result === null ? 'scheduled' : 'final',
    home_team_id: teamId(game.home),
    away_team_id: teamId(game.away),
    sport: 'nfl',
    season: game.season,
    week: game.week,
    is_playoff: game.playoff,
    is_neutral_site: game.neutral,
    home_score: game.homeScore,
    away_score: game.awayScore,
    result: result === null ? null : { home_win: result },
    metadata: game.metadata,
  };
}

/** An NFL event as stored, with its teams' codes and its kickoff date. */
export interface StoredNflEvent extends NflEventRow {
  /** UTC date of `start_time` (`YYYY-MM-DD`): the game's date for default kickoffs. */
  readonly date: string;
  readonly home: string;
  readonly away: string;
}

/**
 * Every stored NFL event that has a kickoff and both teams, in kickoff order (ties by id),
 * with its teams' codes.
 */
export async function loadNflEvents(db: Executor): Promise<StoredNflEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('teams as h', 'h.team_id', 'e.home_team_id')
    .innerJoin('teams as a', 'a.team_id', 'e.away_team_id')
    .select([
      'e.event_id', 'e.platform_id', 'e.external_id', 'e.category', 'e.subcategory', 'e.title',
      'e.start_time', 'e.status', 'e.home_team_id', 'e.away_team_id', 'e.sport', 'e.season', 'e.week',
      'e.is_playoff', 'e.is_neutral_site', 'e.home_score', 'e.away_score', 'e.result', 'e.metadata',
      'h.code as home', 'a.code as away',
    ])
    .where('e.sport', '=', 'nfl')
    .where('e.start_time', 'is not', null)
    .orderBy('e.start_time')
    .orderBy('e.event_id')
    .execute();
  return rows.map((r) => ({
    ...r,
    platform_id: r.platform_id as NflEventPlatform,
    category: 'sports',
    subcategory: 'nfl',
    sport: 'nfl',
    start_time: r.start_time!,
    status: (r.status ?? 'scheduled') as EventStatus,
    home_team_id: r.home_team_id!,
    away_team_id: r.away_team_id!,
    season: r.season ?? r.start_time!.getUTCFullYear(),
    is_playoff: r.is_playoff ?? false,
    is_neutral_site: r.is_neutral_site ?? false,
    result: asObject(r.result),
    metadata: asObject(r.metadata),
    date: r.start_time!.toISOString().slice(0, 10),
  }));
}

function asObject(value: JsonValue | null): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** What an upsert did, event by event. */
export interface EventUpsertCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Events per INSERT statement: ~20 parameters a row stays far below the 65,535 limit. */
const INSERT_BATCH = 1000;
/** Events per set-based UPDATE. */
const UPDATE_BATCH = 5000;

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return isDeepStrictEqual(a ?? null, b ?? null);
}

/** The columns of `row` among `columns` whose value differs from `stored`. */
export function changedColumns(
  stored: NflEventRow,
  row: NflEventRow,
  columns: readonly NflEventColumn[],
): NflEventColumn[] {
  return columns.filter((column) => !sameValue(stored[column], row[column]));
}

/** The SQL type of each column, for the set-based update. */
const COLUMN_TYPES: Readonly<Record<NflEventColumn, string>> = {
  platform_id: 'text', external_id: 'text', category: 'text', subcategory: 'text', title: 'text',
  start_time: 'timestamptz', status: 'text', home_team_id: 'int4', away_team_id: 'int4', sport: 'text',
  season: 'int2', week: 'text', is_playoff: 'bool', is_neutral_site: 'bool', home_score: 'int4',
  away_score: 'int4', result: 'jsonb', metadata: 'jsonb',
};

/** A column value as text for a `text[]` parameter (null stays null). */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Updates `columns` of many events in one statement per batch: every value goes in as a
 * `text[]` parameter and is cast back to its column's type (a plain identifier from
 * {@link COLUMN_TYPES}, never input), so the statement is the same on both engines.
 */
async function updateColumns(db: Executor, rows: readonly NflEventRow[], columns: readonly NflEventColumn[]) {
  for (let start = 0; start < rows.length; start += UPDATE_BATCH) {
    const batch = rows.slice(start, start + UPDATE_BATCH);
    const arrays = [batch.map((r) => r.event_id), ...columns.map((c) => batch.map((r) => asText(r[c])))];
    const names = sql.join(['event_id', ...columns].map((c) => sql.ref(c)));
    const sets = sql.join(columns.map((c) => sql`${sql.ref(c)} = u.${sql.ref(c)}::${sql.raw(COLUMN_TYPES[c])}`));
    const unnest = sql.join(arrays.map((a) => sql`${a}::text[]`));
    await sql`update events e set ${sets}
                from unnest(${unnest}) as u(${names})
               where e.event_id = u.event_id`.execute(db);
  }
}

/**
 * Inserts the events missing from `stored` (keyed by event_id) and, for the others, updates
 * only the `updatable` columns that really differ (e.g. a score that arrived); an event whose
 * columns all agree is left untouched, so importing the same data twice changes nothing.
 * JSONB columns are plain objects, which both drivers send as JSON.
 */
export async function upsertNflEvents(
  db: Executor,
  rows: readonly NflEventRow[],
  stored: ReadonlyMap<string, NflEventRow>,
  updatable: readonly NflEventColumn[] = ALL_NFL_EVENT_COLUMNS,
  onProgress?: (done: number, total: number) => void,
): Promise<EventUpsertCounts> {
  const fresh: NflEventRow[] = [];
  // Rows to update, grouped by the set of columns that changed (usually one or two sets).
  const changes = new Map<string, { columns: NflEventColumn[]; rows: NflEventRow[] }>();
  let updated = 0;
  let unchanged = 0;
  for (const row of rows) {
    const old = stored.get(row.event_id);
    if (old === undefined) {
      fresh.push(row);
      continue;
    }
    const changed = changedColumns(old, row, updatable);
    if (changed.length === 0) {
      unchanged += 1;
      continue;
    }
    const key = changed.join(',');
    const group = changes.get(key) ?? { columns: changed, rows: [] };
    group.rows.push(row);
    changes.set(key, group);
    updated += 1;
  }
  for (const group of changes.values()) await updateColumns(db, group.rows, group.columns);
  for (let start = 0; start < fresh.length; start += INSERT_BATCH) {
    const batch = fresh.slice(start, start + INSERT_BATCH);
    await db.insertInto('events').values(batch).execute();
    onProgress?.(start + batch.length, fresh.length);
  }
  return { inserted: fresh.length, updated, unchanged };
}
