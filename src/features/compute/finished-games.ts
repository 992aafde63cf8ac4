import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A game with its result, as the computed features read it. */
export interface FinishedGame {
  readonly eventId: string;
  readonly season: number;
  readonly kickoff: Date;
  readonly home: string;
  readonly away: string;
  readonly homeScore: number;
  readonly awayScore: number;
}

/** Every finished game of a sport with both teams, in kickoff order (ties by event id). */
export async function loadFinishedGames(db: Executor, sport: string): Promise<FinishedGame[]> {
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('teams as h', 'h.team_id', 'e.home_team_id')
    .innerJoin('teams as a', 'a.team_id', 'e.away_team_id')
    .select(['e.event_id', 'e.season', 'e.start_time', 'h.code as home', 'a.code as away', 'e.home_score', 'e.away_score'])
    .where('e.sport', '=', sport as never)
    .where('e.start_time', 'is not', null)
    .where('e.home_score', 'is not', null)
    .where('e.away_score', 'is not', null)
    .where('e.season', 'is not', null)
    .orderBy('e.start_time')
    .orderBy('e.event_id')
    .execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    season: Number(r.season),
    kickoff: r.start_time as Date,
    home: r.home,
    away: r.away,
    homeScore: Number(r.home_score),
    awayScore: Number(r.away_score),
  }));
}
