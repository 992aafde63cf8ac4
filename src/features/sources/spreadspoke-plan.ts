import type { InputProblem } from '../../errors.js';
import { matchGames } from '../../entities/nfl/game-matching.js';
import { nflEventRow, type NflEventRow, type StoredNflEvent } from '../../entities/nfl/nfl-events.js';
import { closingLineStamp } from '../../entities/nfl/nfl-timeline.js';
import { DEFAULT_SPREAD_SIGMA, spreadImpliedHomeWinProbability } from '../../entities/nfl/spread-line.js';
import type { SpreadspokeGame } from '../../entities/nfl/spreadspoke-csv.js';
import type { FeatureValueInput } from '../ingest-sources.js';
import type { ClosingLine } from './closing-line-markets.js';
import { NFL_SOURCES, refOf, SPREAD_LINE_HOME, SPREAD_PROB_HOME, TOTAL_LINE } from './nfl-source-features.js';

/** The seasons over which the match rate against 538 is reported (lines exist from 1979). */
export const MATCH_RATE_SEASONS = { first: 1979, last: 2020 } as const;

/** A spreadspoke game with a line that matched no 538 game. */
export interface MatchMiss {
  readonly line: number;
  readonly date: string;
  readonly season: number;
  readonly home: string;
  readonly away: string;
}

/** How well spreadspoke's lined games of {@link MATCH_RATE_SEASONS} match 538's. */
export interface MatchRate {
  readonly seasons: { readonly first: number; readonly last: number };
  /** Games of those seasons with a line. */
  readonly games: number;
  /** … of which matched to an event imported from 538. */
  readonly matched: number;
  readonly rate: number | null;
  readonly misses: readonly MatchMiss[];
}

/** A matched game whose final score differs between spreadspoke and the stored event. */
export interface ScoreDisagreement {
  readonly line: number;
  readonly eventId: string;
  /** `home-away` in the event's orientation. */
  readonly spreadspoke: string;
  readonly stored: string;
}

/** Games matched to stored events: total, with home/away swapped (neutral site), a day apart, and not matched. */
export interface MatchingCounts {
  readonly matched: number;
  readonly swapped: number;
  readonly offByOneDay: number;
  readonly unmatched: number;
}

/** A spreadspoke game turned to an event's orientation (`swapped`: its home is the event's away). */
interface Oriented {
  readonly home: string;
  readonly away: string;
  readonly homeScore: number | null;
  readonly awayScore: number | null;
  readonly spreadLineHome: number | null;
}

function orient(game: SpreadspokeGame, swapped: boolean): Oriented {
  if (!swapped) {
    return { home: game.home, away: game.away, homeScore: game.scoreHome, awayScore: game.scoreAway, spreadLineHome: game.spreadLineHome };
  }
  return {
    home: game.away,
    away: game.home,
    homeScore: game.scoreAway,
    awayScore: game.scoreHome,
    // `+ 0`: a pick'em stays 0, not −0.
    spreadLineHome: game.spreadLineHome === null ? null : -game.spreadLineHome + 0,
  };
}

/** How spreadspoke listed a game, kept in the event's metadata for traceability. */
function spreadspokeMetadata(game: SpreadspokeGame) {
  return { date: game.date, home: game.home, away: game.away, stadium: game.stadium, neutral: game.neutral };
}

/** A game's event row as spreadspoke alone describes it (games 538 lacks). */
function spreadspokeEventRow(
  game: SpreadspokeGame,
  o: Oriented,
  teamIds: ReadonlyMap<string, number>,
  stored: StoredNflEvent | undefined,
): NflEventRow {
  const row = nflEventRow(
    {
      platform: 'spreadspoke',
      date: game.date,
      season: game.season,
      week: String(game.week),
      playoff: game.playoff,
      neutral: game.neutral,
      home: o.home,
      away: o.away,
      homeScore: o.homeScore,
      awayScore: o.awayScore,
      metadata: { ...(stored?.metadata ?? {}), spreadspoke: spreadspokeMetadata(game) },
    },
    teamIds,
  );
  // An event spreadspoke created earlier keeps its id even if the game moved by a day.
  return stored === undefined ? row : { ...row, event_id: stored.event_id };
}

/** The closing-line features of a game, on its event, stamped at kickoff (the line AT kickoff). */
function lineValues(game: SpreadspokeGame, o: Oriented, event: NflEventRow): FeatureValueInput[] {
  if (o.spreadLineHome === null && game.overUnderLine === null) return [];
  const timestamp = closingLineStamp(event.start_time);
  const common = {
    entity: event.event_id,
    timestamp,
    available_at: timestamp,
    external_source: NFL_SOURCES.spreadspoke,
    external_reference_id: `${game.date}:${game.home}:${game.away}`,
  };
  const values: FeatureValueInput[] = [];
  if (o.spreadLineHome !== null) {
    values.push({ ...common, feature: refOf(SPREAD_LINE_HOME), value: o.spreadLineHome });
    values.push({ ...common, feature: refOf(SPREAD_PROB_HOME), value: spreadImpliedHomeWinProbability(o.spreadLineHome) });
  }
  if (game.overUnderLine !== null) values.push({ ...common, feature: refOf(TOTAL_LINE), value: game.overUnderLine });
  return values;
}

/** The outcome of matching a file's games to the stored events, ready to write. */
export interface SpreadspokePlan {
  /** Rows of events spreadspoke owns (new, or created by an earlier spreadspoke import). */
  readonly owned: NflEventRow[];
  /** Rows of events another source owns, with spreadspoke's week and metadata merged in. */
  readonly annotated: NflEventRow[];
  readonly values: FeatureValueInput[];
  readonly lines: ClosingLine[];
  readonly matching: MatchingCounts;
  readonly matchRate: MatchRate;
  readonly scoreDisagreements: ScoreDisagreement[];
  readonly problems: InputProblem[];
}

function isMatchRateGame(g: SpreadspokeGame): boolean {
  return g.season >= MATCH_RATE_SEASONS.first && g.season <= MATCH_RATE_SEASONS.last && g.spreadLineHome !== null;
}

/**
 * Matches a file's games to the stored events ({@link matchGames}) and works out what to
 * write: rows of the events spreadspoke owns (new games, or games an earlier spreadspoke
 * import created — updated in full), rows of other sources' events with spreadspoke's week
 * and listing merged in (only those two columns change), the closing-line features oriented
 * to each event's home team, the closing lines for markets, the match rate against 538 and
 * the scores that disagree. A game whose event id is already taken is a problem, not a write.
 */
export function planSpreadspokeImport(
  source: string,
  games: readonly SpreadspokeGame[],
  stored: readonly StoredNflEvent[],
  teamIds: ReadonlyMap<string, number>,
): SpreadspokePlan {
  const keys = stored.map((e) => ({ date: e.date, team1: e.home, team2: e.away, neutral: e.is_neutral_site, event: e }));
  const result = matchGames(games, keys);
  const byId = new Map(stored.map((e) => [e.event_id, e]));
  const out: SpreadspokePlan = {
    owned: [],
    annotated: [],
    values: [],
    lines: [],
    matching: {
      matched: result.matched.length,
      swapped: result.matched.filter((m) => m.swapped).length,
      offByOneDay: result.matched.filter((m) => m.dayOffset !== 0).length,
      unmatched: result.unmatchedSpreadspoke.length,
    },
    matchRate: { seasons: MATCH_RATE_SEASONS, games: 0, matched: 0, rate: null, misses: [] },
    scoreDisagreements: [],
    problems: [],
  };
  const ids = new Set<string>();
  const add = (game: SpreadspokeGame, o: Oriented, row: NflEventRow, owned: boolean) => {
    if (ids.has(row.event_id)) {
      out.problems.push({
        file: source,
        line: game.line,
        column: 'schedule_date',
        value: game.date,
        reason: `its event ${row.event_id} is already taken by another game of this file`,
      });
      return;
    }
    ids.add(row.event_id);
    (owned ? out.owned : out.annotated).push(row);
    out.values.push(...lineValues(game, o, row));
    const p = o.spreadLineHome === null ? null : spreadImpliedHomeWinProbability(o.spreadLineHome);
    if (p !== null && o.spreadLineHome !== null) {
      const result = row.result?.['home_win'];
      out.lines.push({
        eventId: row.event_id,
        eventTitle: row.title,
        kickoff: row.start_time,
        homeWinProbability: p,
        spreadLineHome: o.spreadLineHome,
        totalLine: game.overUnderLine,
        sigma: DEFAULT_SPREAD_SIGMA,
        homeResult: result === 1 || result === 0 || result === 0.5 ? result : null,
      });
    }
  };

  const rateGames: MatchMiss[] = [];
  let rateMatched = 0;
  for (const m of result.matched) {
    const game = m.spreadspoke;
    const event = m.fiveThirtyEight.event;
    const o = orient(game, m.swapped);
    if (isMatchRateGame(game)) {
      if (event.platform_id === 'fivethirtyeight') rateMatched += 1;
      else rateGames.push(missOf(game));
    }
    if (event.platform_id === 'spreadspoke') {
      add(game, o, spreadspokeEventRow(game, o, teamIds, event), true);
      continue;
    }
    if (o.homeScore !== null && (o.homeScore !== event.home_score || o.awayScore !== event.away_score)) {
      out.scoreDisagreements.push({
        line: game.line,
        eventId: event.event_id,
        spreadspoke: `${o.homeScore}-${o.awayScore}`,
        stored: event.home_score === null ? 'none' : `${event.home_score}-${event.away_score}`,
      });
    }
    const metadata = { ...(event.metadata ?? {}), spreadspoke: spreadspokeMetadata(game) };
    add(game, o, { ...event, week: String(game.week), metadata }, false);
  }
  for (const game of result.unmatchedSpreadspoke) {
    if (isMatchRateGame(game)) rateGames.push(missOf(game));
    const o = orient(game, false);
    const row = spreadspokeEventRow(game, o, teamIds, undefined);
    if (byId.has(row.event_id)) {
      out.problems.push({
        file: source,
        line: game.line,
        column: 'schedule_date',
        value: game.date,
        reason: `matches no stored game, but its event id ${row.event_id} is taken by a game matched to another row`,
      });
      continue;
    }
    add(game, o, row, true);
  }
  const total = rateMatched + rateGames.length;
  return {
    ...out,
    matchRate: {
      seasons: MATCH_RATE_SEASONS,
      games: total,
      matched: rateMatched,
      rate: total === 0 ? null : rateMatched / total,
      misses: rateGames.sort((a, b) => a.line - b.line),
    },
  };
}

function missOf(game: SpreadspokeGame): MatchMiss {
  return { line: game.line, date: game.date, season: game.season, home: game.home, away: game.away };
}

