import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { parseDuration } from '../features/retrieval-spec.js';
import type { DatasetSpec } from './dataset-spec.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** One training label: a finished game at its decision time. */
export interface Label {
  readonly eventId: string;
  readonly labelTime: Date;
  readonly season: number;
  readonly homeTeamId: number | null;
  readonly awayTeamId: number | null;
  readonly homeTeam: string | null;
  readonly awayTeam: string | null;
  readonly target: number;
}

interface LabelRow {
  event_id: string;
  label_time: Date;
  season: number;
  home_team_id: number | null;
  away_team_id: number | null;
  home_team: string | null;
  away_team: string | null;
  target: number;
}

/** Labels per page: bounds memory whatever the number of games. */
export const LABEL_PAGE_SIZE = 10_000;

/**
 * Streams a spec's labels in (label_time, event_id) order — the dataset's row order — one
 * page at a time (keyset pagination, so memory stays bounded):
 * finished games of the sport in the season range (playoffs unless excluded) with both
 * scores; target home_win = 1 / 0, ties excluded or 0.5; label time = kickoff − offset.
 */
export async function* streamLabels(db: Executor, spec: DatasetSpec, pageSize = LABEL_PAGE_SIZE): AsyncGenerator<Label[]> {
  const offsetMs = parseDuration(spec.labels.label_offset, 'label offset');
  const [from, to] = spec.labels.seasons;
  let after: { time: Date; id: string } | null = null;
  for (;;) {
    const cursor: { time: Date; id: string } | null = after;
    // Keyset on (start_time, event_id), not on the computed label time: the same order
    // (the offset is constant), and each page is an index range instead of a full sort.
    const page: RawBuilder<unknown> = cursor
      ? sql`and (e.start_time, e.event_id) > (${cursor.time}::timestamptz + ${offsetMs} * interval '1 millisecond', ${cursor.id}::text)`
      : sql``;
    const ties = spec.labels.ties === 'exclude' ? sql`and e.home_score <> e.away_score` : sql``;
    const playoffs = spec.labels.playoffs ? sql`` : sql`and not coalesce(e.is_playoff, false)`;
    const { rows }: { rows: LabelRow[] } = await sql<LabelRow>`
      select e.event_id, e.start_time - ${offsetMs} * interval '1 millisecond' as label_time, e.season::int as season,
             e.home_team_id, e.away_team_id, h.code as home_team, a.code as away_team,
             case when e.home_score > e.away_score then 1.0 when e.home_score < e.away_score then 0.0 else 0.5 end::float8 as target
        from events e
        left join teams h on h.team_id = e.home_team_id
        left join teams a on a.team_id = e.away_team_id
       where e.sport = ${spec.sport} and e.season between ${from} and ${to}
         and e.start_time is not null and e.home_score is not null and e.away_score is not null
         ${ties} ${playoffs} ${page}
       order by e.start_time, e.event_id
       limit ${pageSize}`.execute(db);
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      eventId: r.event_id,
      labelTime: r.label_time,
      season: r.season,
      homeTeamId: r.home_team_id,
      awayTeamId: r.away_team_id,
      homeTeam: r.home_team,
      awayTeam: r.away_team,
      target: r.target,
    }));
    const last = rows[rows.length - 1]!;
    after = { time: last.label_time, id: last.event_id };
    if (rows.length < pageSize) return;
  }
}

/** The markets of some events on one platform: event_id → market_id (current versions). */
export async function marketsOfEvents(
  db: Executor,
  platform: string,
  eventIds: readonly string[],
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('markets')
    .select(['event_id', 'market_id'])
    .where('platform_id', '=', platform)
    .where('event_id', 'in', eventIds.length ? [...eventIds] : [''])
    .where('row_current_ind', '=', true)
    .orderBy('event_id')
    .orderBy('market_id')
    .execute();
  const out = new Map<string, string>();
  for (const r of rows) if (!out.has(r.event_id)) out.set(r.event_id, r.market_id);
  return out;
}
