import type { PrecogDb } from '../../db/connection.js';
import { openCsvFile } from '../../entities/nfl/csv-table.js';
import { readFiveThirtyEightCsv, type FiveThirtyEightGame } from '../../entities/nfl/fivethirtyeight-csv.js';
import {
  ALL_NFL_EVENT_COLUMNS,
  loadNflEvents,
  nflEventRow,
  upsertNflEvents,
  type EventUpsertCounts,
  type NflEventColumn,
  type NflEventRow,
} from '../../entities/nfl/nfl-events.js';
import { syncNflTeams } from '../../entities/nfl/nfl-team-rows.js';
import { loadNflTeams, type NflTeamRegistry } from '../../entities/nfl/nfl-teams.js';
import { preGameStamp } from '../../entities/nfl/nfl-timeline.js';
import { ingestRecords, type IngestReport } from '../ingest.js';
import { iterableRecords, type FeatureValueInput } from '../ingest-sources.js';
import { duplicateProblems, lockNflImports, seasonRange, settleRows, type RowPolicy } from './import-input.js';
import {
  ELO538_PROB_HOME,
  ELO538_RATING,
  FIVETHIRTYEIGHT_FEATURES,
  NFL_SOURCES,
  refOf,
  registerDefinitions,
} from './nfl-source-features.js';
import { writeRejectedRowsCsv } from './rejected-rows-csv.js';

/** Options of {@link importNfl538}. */
export interface Nfl538ImportOptions extends RowPolicy {
  /** Franchise table; default the packaged one. */
  readonly teams?: NflTeamRegistry;
  /** Progress of the long steps: events written, then feature rows staged. */
  readonly onProgress?: (done: number, total?: number) => void;
}

/** What one `import nfl-538` did. */
export interface Nfl538ImportReport {
  readonly source: string;
  /** Valid games imported (after skipping, with `skipInvalid`). */
  readonly games: number;
  readonly rejected: number;
  /** `<input>.rejected.csv` when rows were rejected (`skipInvalid`), else null. */
  readonly rejectedFile: string | null;
  readonly seasons: { readonly first: number; readonly last: number } | null;
  /** NFL franchises in the teams table after the import. */
  readonly teams: number;
  readonly events: EventUpsertCounts;
  readonly features: Omit<IngestReport, 'source'>;
}

// 538 owns every column of its events but two that come from spreadspoke.
const UPDATABLE: readonly NflEventColumn[] = ALL_NFL_EVENT_COLUMNS.filter((c) => c !== 'week' && c !== 'metadata');

/** The event of a 538 game: team1 is home (kept as home at a neutral site, flagged neutral). */
export function fiveThirtyEightEventRow(game: FiveThirtyEightGame, teamIds: ReadonlyMap<string, number>): NflEventRow {
  return nflEventRow(
    {
      platform: 'fivethirtyeight',
      date: game.date,
      season: game.season,
      week: null,
      playoff: game.playoff,
      neutral: game.neutral,
      home: game.team1,
      away: game.team2,
      homeScore: game.score1,
      awayScore: game.score2,
      metadata: null,
    },
    teamIds,
  );
}

/**
 * 538's pre-game numbers of a game as feature values, stamped {@link preGameStamp} with
 * `available_at` = the stamp (a historical backfill): `elo538_prob_home@1` of the event and
 * `elo538_rating@1` of each team.
 */
export function fiveThirtyEightValues(game: FiveThirtyEightGame, row: NflEventRow): FeatureValueInput[] {
  const timestamp = preGameStamp(row.start_time);
  const common = {
    timestamp,
    available_at: timestamp,
    external_source: NFL_SOURCES.fiveThirtyEight,
    external_reference_id: row.external_id,
  };
  return [
    { ...common, feature: refOf(ELO538_PROB_HOME), entity: row.event_id, value: game.eloProb1 },
    { ...common, feature: refOf(ELO538_RATING), entity: game.team1, value: game.elo1 },
    { ...common, feature: refOf(ELO538_RATING), entity: game.team2, value: game.elo2 },
  ];
}

/**
 * `precog import nfl-538`: FiveThirtyEight's `nfl_games.csv` into the store, in ONE
 * transaction (teams, events, features): every franchise synced; one event per game
 * (upserted by date + teams: importing twice changes nothing, a changed column such as a
 * new score is updated in place); 538's pre-game probability and ratings as features.
 * Strict by default: any invalid row (or a game listed twice) rejects the file and nothing
 * is imported; with `skipInvalid` the valid rows are imported and the rejected ones
 * written to `<input>.rejected.csv` with their reasons (after the commit).
 */
export async function importNfl538(db: PrecogDb, file: string, options: Nfl538ImportOptions = {}): Promise<Nfl538ImportReport> {
  const registry = options.teams ?? loadNflTeams();
  const parsed = await readFiveThirtyEightCsv(openCsvFile(file), { source: file, teams: registry });
  const duplicates = duplicateProblems(
    file,
    parsed.valid,
    (g) => `${g.date}:${[g.team1, g.team2].sort().join(':')}`,
    'team2',
    (g) => g.team2,
  );
  const { valid: games, rejected } = settleRows(file, parsed, duplicates, options);

  const result = await db.transaction(async (session) => {
    await lockNflImports(session);
    const teamIds = await syncNflTeams(session.db, registry);
    await registerDefinitions(session.db, FIVETHIRTYEIGHT_FEATURES);
    const stored = new Map((await loadNflEvents(session.db)).map((e) => [e.event_id, e]));
    const rows = games.map((g) => fiveThirtyEightEventRow(g, teamIds));
    const events = await upsertNflEvents(session.db, rows, stored, UPDATABLE, options.onProgress);
    const values = games.flatMap((g, i) => fiveThirtyEightValues(g, rows[i]!));
    const features = await ingestRecords(session, file, iterableRecords(file, values), {
      defaultSource: NFL_SOURCES.fiveThirtyEight,
      onProgress: (read) => options.onProgress?.(read, values.length),
    });
    return { teams: teamIds.size, events, features };
  });

  const rejectedFile = rejected.length > 0 ? writeRejectedRowsCsv(file, rejected) : null;
  const { read, inserted, corrected, unchanged } = result.features;
  return {
    source: file,
    games: games.length,
    rejected: rejected.length,
    rejectedFile,
    seasons: seasonRange(games),
    teams: result.teams,
    events: result.events,
    features: { read, inserted, corrected, unchanged },
  };
}

