import { sql, type Transaction } from 'kysely';
import type { PrecogDb } from '../../db/connection.js';
import type { Database } from '../../db/database.js';
import type { Session } from '../../db/session.js';
import { ingestRecords, type IngestReport } from '../ingest.js';
import { iterableRecords } from '../ingest-sources.js';
import { registerFeature } from '../registry.js';
import { SyntheticLeagueConflictError } from '../../entities/synthetic/errors.js';
import type { SyntheticLeague } from '../../entities/synthetic/league.js';
import {
  SYNTHETIC_SPORT,
  syntheticEventRow,
  syntheticMarketTitle,
  syntheticMarketVersions,
  type MarketVersionRow,
} from '../../entities/synthetic/league-rows.js';
import type { SyntheticTeam } from '../../entities/synthetic/league-teams.js';
import { SYNTHETIC_FEATURES, SYNTHETIC_SOURCE, syntheticFeatureValues } from './synthetic-features.js';

/** The stages of a load, in order. */
export const LOAD_STAGES = ['teams', 'players', 'events', 'markets', 'features'] as const;
export type LoadStage = (typeof LOAD_STAGES)[number];

/** Where a load is: `done` of `total` items of `stage` (features: records read). */
export interface LoadProgress {
  readonly stage: LoadStage;
  readonly done: number;
  readonly total: number;
}

export interface LoadLeagueOptions {
  /** Called when a stage starts, as it advances, and when it ends. */
  readonly onProgress?: (progress: LoadProgress) => void;
}

/** Rows a stage wrote, and rows already there with the same content. */
export interface StageCounts {
  readonly inserted: number;
  readonly unchanged: number;
}

/** What {@link loadLeague} did. */
export interface LoadLeagueReport {
  readonly teams: StageCounts;
  readonly players: StageCounts;
  readonly events: StageCounts;
  /** Counted by market; `versions` = SCD2 rows inserted. */
  readonly markets: StageCounts & { readonly versions: number };
  readonly features: {
    /** Definitions newly registered (0 when all were already there, identical). */
    readonly registered: number;
    readonly ingest: IngestReport;
  };
  /** Wall-clock milliseconds per stage, and in all. */
  readonly timingsMs: Readonly<Record<LoadStage | 'total', number>>;
}

type Trx = Transaction<Database>;
type TeamWithId = SyntheticTeam & { readonly teamId: number };

const EVENT_BATCH = 500;
const SOURCE = 'synthetic-league';

function same(table: string, key: string, pairs: readonly [string, unknown, unknown][]): void {
  for (const [column, stored, wanted] of pairs) {
    const a = stored instanceof Date ? stored.toISOString() : stored;
    const b = wanted instanceof Date ? wanted.toISOString() : wanted;
    if (a !== b) throw new SyntheticLeagueConflictError(table, key, column, a, b);
  }
}

async function loadTeams(trx: Trx, league: SyntheticLeague): Promise<{ counts: StageCounts; byCode: Map<string, TeamWithId> }> {
  const inserted = await trx
    .insertInto('teams')
    .values(league.teams.map((t) => ({ sport: SYNTHETIC_SPORT, code: t.code, name: t.name, conference: t.conference, division: t.division })))
    .onConflict((oc) => oc.columns(['sport', 'code']).doNothing())
    .returning('team_id')
    .execute();
  const stored = await trx
    .selectFrom('teams')
    .select(['team_id', 'code', 'name', 'conference', 'division'])
    .where('sport', '=', SYNTHETIC_SPORT)
    .where('code', 'in', league.teams.map((t) => t.code))
    .execute();
  const byStoredCode = new Map(stored.map((r) => [r.code, r]));
  const byCode = new Map<string, TeamWithId>();
  for (const team of league.teams) {
    const row = byStoredCode.get(team.code)!;
    same('teams', `${SYNTHETIC_SPORT}/${team.code}`, [
      ['name', row.name, team.name],
      ['conference', row.conference, team.conference],
      ['division', row.division, team.division],
    ]);
    byCode.set(team.code, { ...team, teamId: row.team_id });
  }
  return { counts: { inserted: inserted.length, unchanged: league.teams.length - inserted.length }, byCode };
}

async function loadPlayers(trx: Trx, league: SyntheticLeague, teams: ReadonlyMap<string, TeamWithId>): Promise<StageCounts> {
  if (league.players.length === 0) return { inserted: 0, unchanged: 0 };
  const rows = league.players.map((p) => ({
    team_id: teams.get(p.team)!.teamId,
    name: p.name,
    position: p.position,
    external_id: p.externalId,
  }));
  const inserted = await trx
    .insertInto('players')
    .values(rows)
    .onConflict((oc) => oc.column('external_id').doNothing())
    .returning('player_id')
    .execute();
  const stored = await trx
    .selectFrom('players')
    .select(['external_id', 'team_id', 'name', 'position'])
    .where('external_id', 'in', rows.map((r) => r.external_id))
    .execute();
  const byId = new Map(stored.map((r) => [r.external_id, r]));
  for (const row of rows) {
    const s = byId.get(row.external_id)!;
    same('players', row.external_id, [
      ['team_id', s.team_id, row.team_id],
      ['name', s.name, row.name],
      ['position', s.position, row.position],
    ]);
  }
  return { inserted: inserted.length, unchanged: rows.length - inserted.length };
}

async function loadEvents(
  trx: Trx,
  league: SyntheticLeague,
  teams: ReadonlyMap<string, TeamWithId>,
  progress: (done: number) => void,
): Promise<StageCounts> {
  const rows = league.games.map((game, i) => syntheticEventRow(league, game, league.markets[i]!, teams));
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += EVENT_BATCH) {
    const batch = rows.slice(i, i + EVENT_BATCH);
    const written = await trx
      .insertInto('events')
      .values(batch)
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .execute();
    for (const w of written) inserted.add(w.event_id);
    progress(Math.min(rows.length, i + EVENT_BATCH));
  }
  const existing = rows.filter((r) => !inserted.has(r.event_id));
  for (let i = 0; i < existing.length; i += EVENT_BATCH) {
    const batch = existing.slice(i, i + EVENT_BATCH);
    const stored = await trx
      .selectFrom('events')
      .select(['event_id', 'platform_id', 'start_time', 'home_team_id', 'away_team_id', 'home_score', 'away_score', 'season', 'week'])
      .where('event_id', 'in', batch.map((r) => r.event_id))
      .execute();
    const byId = new Map(stored.map((r) => [r.event_id, r]));
    for (const row of batch) {
      const s = byId.get(row.event_id)!;
      same('events', row.event_id, [
        ['platform_id', s.platform_id, row.platform_id],
        ['start_time', s.start_time, row.start_time],
        ['home_team_id', s.home_team_id, row.home_team_id],
        ['away_team_id', s.away_team_id, row.away_team_id],
        ['home_score', s.home_score, row.home_score],
        ['away_score', s.away_score, row.away_score],
        ['season', s.season, row.season],
        ['week', s.week, row.week],
      ]);
    }
  }
  return { inserted: inserted.size, unchanged: existing.length };
}

const MARKET_COPY_COLUMNS = [
  'market_id', 'platform_id', 'event_id', 'external_id', 'ticker', 'title', 'market_type',
  'yes_price', 'no_price', 'status', 'settlement_value', 'row_current_ind', 'row_start_ts', 'row_end_ts',
] as const;

/** A CSV field: null → unquoted empty (COPY's NULL), anything else quoted. */
function csvField(value: string | null): string {
  return value === null ? '' : `"${value.replace(/"/g, '""')}"`;
}

function marketCsvLine(v: MarketVersionRow): string {
  const c = v.content;
  return (
    [
      c.market_id, c.platform_id, c.event_id, c.external_id, c.ticker, c.title, c.market_type,
      c.yes_price, c.no_price, c.status, c.settlement_value,
      v.rowEnd === null ? 'true' : 'false', v.rowStart.toISOString(), v.rowEnd?.toISOString() ?? null,
    ]
      .map(csvField)
      .join(',') + '\n'
  );
}

/**
 * Writes the markets. The SCD2 write path (`upsertVersion`, row at a time) costs ~4 ms per
 * version on PGlite — over a minute for a full league — so a market not yet stored gets its
 * whole history in one COPY: each version's row_end_ts is the next one's row_start_ts and the
 * last is current. The database still checks every SCD2 invariant (one current row per key,
 * no overlap, end ≥ start). A market already stored must end as this league's settled
 * version; anything else is a conflict.
 */
async function loadMarkets(
  session: Session,
  league: SyntheticLeague,
  teams: ReadonlyMap<string, TeamWithId>,
  progress: (done: number) => void,
): Promise<StageCounts & { versions: number }> {
  const trx = session.db;
  const histories = league.markets.map((m, i) => syntheticMarketVersions(m, syntheticMarketTitle(league.games[i]!, teams)));
  const ids = league.markets.map((m) => m.marketId);
  const current = await trx
    .selectFrom('markets')
    .select(['market_id', 'event_id', 'status', 'yes_price', 'settlement_value', 'row_start_ts'])
    .where('row_current_ind', '=', true)
    .where(sql<boolean>`market_id = any(${ids}::text[])`)
    .execute();
  const byId = new Map(current.map((r) => [r.market_id, r]));
  let csv = '';
  let versions = 0;
  let inserted = 0;
  for (const history of histories) {
    const final = history[history.length - 1]!;
    const stored = byId.get(final.content.market_id);
    if (stored) {
      same('markets', final.content.market_id, [
        ['event_id', stored.event_id, final.content.event_id],
        ['status', stored.status, final.content.status],
        ['yes_price', Number(stored.yes_price), Number(final.content.yes_price)],
        ['settlement_value', Number(stored.settlement_value), Number(final.content.settlement_value)],
        ['row_start_ts', stored.row_start_ts, final.rowStart],
      ]);
      continue;
    }
    for (const version of history) csv += marketCsvLine(version);
    versions += history.length;
    inserted += 1;
  }
  if (versions > 0) {
    await session.copyFrom(`COPY markets (${MARKET_COPY_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`, csv);
  }
  progress(histories.length);
  return { inserted, unchanged: histories.length - inserted, versions };
}

/**
 * Writes a generated league in one transaction (all or nothing): teams (sport 'nfl', codes
 * `S01`…), players, one `final` event per game (platform kalshi), one binary market per game
 * with its SCD2 history (a version per snapshot, then the settlement), and the
 * `qb_injured@1` / `market_price@1` definitions and values (see `syntheticFeatureValues`).
 *
 * Idempotent: loading the same league again writes nothing (rows already there with the
 * same content are counted `unchanged`; the ingest adds no value). A row already stored under
 * one of the league's keys with different content — another seed or other options loaded
 * into the same database — is a {@link SyntheticLeagueConflictError}, and nothing is written.
 */
export async function loadLeague(db: PrecogDb, league: SyntheticLeague, options: LoadLeagueOptions = {}): Promise<LoadLeagueReport> {
  const started = performance.now();
  const timings: Partial<Record<LoadStage | 'total', number>> = {};
  const report = (stage: LoadStage, done: number, total: number) => options.onProgress?.({ stage, done, total });
  async function stage<T>(name: LoadStage, total: number, fn: (progress: (done: number) => void) => Promise<T>): Promise<T> {
    const t0 = performance.now();
    report(name, 0, total);
    const result = await fn((done) => report(name, done, total));
    report(name, total, total);
    timings[name] = Math.round(performance.now() - t0);
    return result;
  }

  return db.transaction(async (session) => {
    const trx = session.db;
    const teams = await stage('teams', league.teams.length, () => loadTeams(trx, league));
    const players = await stage('players', league.players.length, () => loadPlayers(trx, league, teams.byCode));
    const events = await stage('events', league.games.length, (p) => loadEvents(trx, league, teams.byCode, p));
    const markets = await stage('markets', league.markets.length, (p) => loadMarkets(session, league, teams.byCode, p));
    const valueCount = countFeatureValues(league);
    const features = await stage('features', valueCount, async (p) => {
      let registered = 0;
      for (const def of SYNTHETIC_FEATURES) if ((await registerFeature(trx, def)).created) registered += 1;
      const ingest = await ingestRecords(session, SOURCE, iterableRecords(SOURCE, syntheticFeatureValues(league)), {
        defaultSource: SYNTHETIC_SOURCE,
        onProgress: p,
      });
      return { registered, ingest };
    });
    timings.total = Math.round(performance.now() - started);
    return {
      teams: teams.counts,
      players,
      events,
      markets,
      features,
      timingsMs: timings as Record<LoadStage | 'total', number>,
    };
  });
}

function countFeatureValues(league: SyntheticLeague): number {
  let n = 0;
  for (const _ of syntheticFeatureValues(league)) n += 1;
  return n;
}
