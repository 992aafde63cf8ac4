import type { PrecogDb } from '../../db/connection.js';
import type { Session } from '../../db/session.js';
import { openCsvFile, type RejectedRow } from '../../entities/nfl/csv-table.js';
import { ALL_NFL_EVENT_COLUMNS, loadNflEvents, upsertNflEvents, type EventUpsertCounts } from '../../entities/nfl/nfl-events.js';
import { syncNflTeams } from '../../entities/nfl/nfl-team-rows.js';
import { loadNflTeams, type NflTeamRegistry } from '../../entities/nfl/nfl-teams.js';
import { readSpreadspokeCsv } from '../../entities/nfl/spreadspoke-csv.js';
import { parseSpreadspokeTeamsCsvFile } from '../../entities/nfl/spreadspoke-teams-csv.js';
import { ingestRecords, type IngestReport } from '../ingest.js';
import { iterableRecords } from '../ingest-sources.js';
import { syncClosingLineMarkets, type MarketSyncCounts } from './closing-line-markets.js';
import { duplicateProblems, lockNflImports, rowsError, seasonRange, settleRows, type RowPolicy } from './import-input.js';
import { NFL_SOURCES, registerDefinitions, SPREADSPOKE_FEATURES } from './nfl-source-features.js';
import { rejectedRowsOf, writeRejectedRowsCsv } from './rejected-rows-csv.js';
import {
  planSpreadspokeImport,
  type MatchingCounts,
  type MatchRate,
  type ScoreDisagreement,
} from './spreadspoke-plan.js';

export { MATCH_RATE_SEASONS, type MatchMiss, type MatchRate, type ScoreDisagreement } from './spreadspoke-plan.js';

/** Options of {@link importSpreadspoke}. */
export interface SpreadspokeImportOptions extends RowPolicy {
  /** spreadspoke's `spreadspoke_teams.csv`, checked against the franchise table. */
  readonly teamsFile: string;
  /** Also record each closing line as a market on the `closing-line` platform. */
  readonly markets?: boolean;
  /** Franchise table; default the packaged one. */
  readonly teams?: NflTeamRegistry;
  readonly onProgress?: (done: number, total?: number) => void;
}

/** What one `import spreadspoke` did. */
export interface SpreadspokeImportReport {
  readonly source: string;
  readonly teamsFile: string;
  readonly teamsFileRows: number;
  readonly games: number;
  readonly rejected: number;
  readonly rejectedFile: string | null;
  readonly seasons: { readonly first: number; readonly last: number } | null;
  /** Games matched to a stored event: total, with home/away swapped (neutral site), a day apart. */
  readonly matching: MatchingCounts;
  readonly events: EventUpsertCounts;
  readonly features: Omit<IngestReport, 'source'>;
  readonly markets: MarketSyncCounts | null;
  readonly matchRate: MatchRate;
  readonly scoreDisagreements: readonly ScoreDisagreement[];
}

/**
 * `precog import spreadspoke`: spreadspoke's scores and closing lines, in ONE transaction.
 * Each game is matched to a stored event (same two franchises, ±1 day, home/away agreeing
 * or swapped at a neutral site — see {@link planSpreadspokeImport}); a matched 538 event gets spreadspoke's
 * week (and its listing in `metadata.spreadspoke`), an unmatched game becomes a new event
 * on the `spreadspoke` platform (without a result while it has no score). The closing line
 * becomes `spread_line_home@1`, `total_line@1` and `spread_prob_home@1` (σ = 13.45),
 * oriented to the event's home team and stamped at kickoff; with `markets`, also a
 * `closing-line` market per game. Strict by default (any invalid row, a game listed twice,
 * or a bad teams file rejects everything); `skipInvalid` imports the valid rows and writes
 * the others to `<input>.rejected.csv`. Reports the match rate of the 1979–2020 games with
 * a line against 538's events, and lists the misses.
 */
export async function importSpreadspoke(
  db: PrecogDb,
  file: string,
  options: SpreadspokeImportOptions,
): Promise<SpreadspokeImportReport> {
  const registry = options.teams ?? loadNflTeams();
  const teamsFileRows = (await parseSpreadspokeTeamsCsvFile(options.teamsFile, { teams: registry })).length;
  // With --skip-invalid a bad betting line costs the line, not the game's result.
  const parsed = await readSpreadspokeCsv(openCsvFile(file), { source: file, teams: registry, keepGamesWithBadLines: options.skipInvalid === true });
  const duplicates = duplicateProblems(
    file,
    parsed.valid,
    (g) => `${g.date}:${[g.home, g.away].sort().join(':')}`,
    'team_away',
    (g) => g.awayName,
  );
  const settled = settleRows(file, parsed, duplicates, options);
  const droppedLines: RejectedRow[] = settled.valid.flatMap((g) =>
    g.lineProblem ? [{ line: g.line, problems: [{ ...g.lineProblem, reason: `${g.lineProblem.reason}; only the line was rejected, the game and its score were kept` }] }] : [],
  );
  let rejected: readonly RejectedRow[] = [...settled.rejected, ...droppedLines].sort((a, b) => a.line - b.line);
  let games = settled.valid;

  const result = await db.transaction(async (session: Session) => {
    await lockNflImports(session);
    const teamIds = await syncNflTeams(session.db, registry);
    await registerDefinitions(session.db, SPREADSPOKE_FEATURES);
    const stored = await loadNflEvents(session.db);
    let p = planSpreadspokeImport(file, games, stored, teamIds);
    if (p.problems.length > 0) {
      const late = rejectedRowsOf(p.problems);
      if (!options.skipInvalid) throw rowsError(file, late);
      rejected = [...rejected, ...late].sort((a, b) => a.line - b.line);
      const bad = new Set(late.map((r) => r.line));
      games = games.filter((g) => !bad.has(g.line));
      p = planSpreadspokeImport(file, games, stored, teamIds);
      if (p.problems.length > 0) throw rowsError(file, rejectedRowsOf(p.problems));
    }
    const byId = new Map(stored.map((e) => [e.event_id, e]));
    const owned = await upsertNflEvents(session.db, p.owned, byId, ALL_NFL_EVENT_COLUMNS, options.onProgress);
    const annotated = await upsertNflEvents(session.db, p.annotated, byId, ['week', 'metadata']);
    const features = await ingestRecords(session, file, iterableRecords(file, p.values), {
      defaultSource: NFL_SOURCES.spreadspoke,
      onProgress: (read) => options.onProgress?.(read, p.values.length),
    });
    const markets = options.markets ? await syncClosingLineMarkets(session.db, p.lines) : null;
    return {
      events: {
        inserted: owned.inserted + annotated.inserted,
        updated: owned.updated + annotated.updated,
        unchanged: owned.unchanged + annotated.unchanged,
      },
      features,
      markets,
      plan: p,
    };
  });

  const rejectedFile = rejected.length > 0 ? writeRejectedRowsCsv(file, rejected) : null;
  const { read, inserted, corrected, unchanged } = result.features;
  return {
    source: file,
    teamsFile: options.teamsFile,
    teamsFileRows,
    games: games.length,
    rejected: rejected.length,
    rejectedFile,
    seasons: seasonRange(games),
    matching: result.plan.matching,
    events: result.events,
    features: { read, inserted, corrected, unchanged },
    markets: result.markets,
    matchRate: result.plan.matchRate,
    scoreDisagreements: result.plan.scoreDisagreements,
  };
}

