import { sql, type Kysely, type Transaction } from 'kysely';
import type { PrecogDb } from '../../db/connection.js';
import type { Database } from '../../db/database.js';
import { loadNflEvents, type StoredNflEvent } from '../../entities/nfl/nfl-events.js';
import { ingestRecords, type IngestReport } from '../../features/ingest.js';
import { iterableRecords } from '../../features/ingest-sources.js';
import { registerFeature } from '../../features/registry.js';
import { lockNflImports } from '../../features/sources/import-input.js';
import { ELO538_PROB_HOME, ELO538_RATING, refOf } from '../../features/sources/nfl-source-features.js';
import { accuracy } from '../metrics/accuracy.js';
import { brier } from '../metrics/brier.js';
import { logLoss } from '../metrics/log-loss.js';
import type { Outcome, Prediction } from '../metrics/prediction.js';
import { runElo } from './elo-engine.js';
import {
  ELO_SOURCE,
  eloFeatureDefinitions,
  eloFeatureRefs,
  eloFeatureValues,
  eloFeatureVersion,
  type StampedEloGame,
} from './elo-features.js';
import { presetParams, type EloParamOverrides, type EloPreset } from './elo-param-overrides.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The evaluation window reported beside the overall figures. */
export const ELO_EVAL_WINDOW = { first: 2000, last: 2020 } as const;

/** Options of {@link runEloOnStore}. */
export interface EloRunOptions {
  readonly preset: EloPreset;
  readonly overrides?: EloParamOverrides;
  /** Franchise code → initial rating (e.g. from `initial_elos.csv`); default: the store. */
  readonly initialRatings?: Readonly<Record<string, number>>;
  readonly onProgress?: (done: number, total?: number) => void;
}

/** Scores of one set of decided games (ties excluded). */
export interface EloScores {
  readonly seasons: { readonly first: number; readonly last: number };
  readonly games: number;
  readonly brier: number | null;
  readonly logLoss: number | null;
  readonly accuracy: number | null;
}

/** One game's forecast, in 538's orientation (team1 = home, or 538's team1 at a neutral site). */
export interface EloPrediction {
  readonly eventId: string;
  readonly date: string;
  readonly season: number;
  readonly team1: string;
  readonly team2: string;
  readonly prob1: number;
  readonly result1: Outcome | null;
}

/** What `precog elo run` did and how well it forecast. */
export interface EloRunReport {
  readonly preset: EloPreset;
  readonly version: string;
  readonly features: { readonly rating: string; readonly probability: string };
  /** True when this parameter set's definitions were registered by this run. */
  readonly registered: boolean;
  readonly params: {
    readonly k: number;
    readonly homeAdvantage: number;
    readonly revertTo: number;
    readonly revertFraction: number;
    readonly marginOfVictory: boolean;
    readonly defaultInitialRating: number;
    readonly fixedReversions: number;
  };
  readonly initialRatings: { readonly source: 'option' | 'store' | 'default'; readonly teams: number };
  /** Games with a result that were rated. */
  readonly games: number;
  /** Games without a result given a probability only. */
  readonly unplayed: number;
  /** Largest |our probability − stored elo538_prob_home@1| (null when none is stored). */
  readonly maxAbsDiffVs538: number | null;
  readonly comparedVs538: number;
  readonly metrics: { readonly overall: EloScores; readonly [window: string]: EloScores };
  readonly store: Omit<IngestReport, 'source'>;
  /** Every game's forecast, in date order (for `--out`). */
  readonly predictions: readonly EloPrediction[];
}

/** Each team's first (earliest) stored `elo538_rating@1` value: 538's initial ratings. */
export async function firstElo538Ratings(db: Executor): Promise<Record<string, number>> {
  const { rows } = await sql<{ code: string; value: number }>`
    select distinct on (h.team_id) t.code, h.feature_value as value
      from features_historical h
      join feature_definitions d on d.feature_id = h.feature_id
      join teams t on t.team_id = h.team_id
     where d.feature_name = ${ELO538_RATING.name} and d.feature_version = ${ELO538_RATING.version}
     order by h.team_id, h."timestamp", h.available_at desc`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.code, r.value]));
}

/** The stored `elo538_prob_home@1` of each event (its latest correction). */
export async function elo538Probabilities(db: Executor): Promise<Map<string, number>> {
  const { rows } = await sql<{ event_id: string; value: number }>`
    select distinct on (h.event_id) h.event_id, h.feature_value as value
      from features_historical h
      join feature_definitions d on d.feature_id = h.feature_id
     where d.feature_name = ${ELO538_PROB_HOME.name} and d.feature_version = ${ELO538_PROB_HOME.version}
     order by h.event_id, h."timestamp" desc, h.available_at desc`.execute(db);
  return new Map(rows.map((r) => [r.event_id, r.value]));
}

function outcomeOf(event: StoredNflEvent): Outcome | null {
  const v = event.result?.['home_win'];
  return v === 1 || v === 0 || v === 0.5 ? v : null;
}

function toGame(event: StoredNflEvent): StampedEloGame & { readonly event: StoredNflEvent } {
  const played = event.home_score !== null && event.away_score !== null && outcomeOf(event) !== null;
  return {
    season: event.season,
    home: event.home,
    away: event.away,
    neutral: event.is_neutral_site,
    homeScore: played ? event.home_score : null,
    awayScore: played ? event.away_score : null,
    eventId: event.event_id,
    kickoff: event.start_time,
    event,
  };
}

/**
 * Scores decided games (ties excluded) of seasons `first`–`last`; null scores when none.
 */
export function scoreWindow(predictions: readonly EloPrediction[], first: number, last: number): EloScores {
  const decided: Prediction[] = predictions
    .filter((p) => p.season >= first && p.season <= last && (p.result1 === 0 || p.result1 === 1))
    .map((p) => ({ probability: p.prob1, outcome: p.result1 as Outcome }));
  const empty = decided.length === 0;
  return {
    seasons: { first, last },
    games: decided.length,
    brier: empty ? null : brier(decided),
    logLoss: empty ? null : logLoss(decided),
    accuracy: empty ? null : accuracy(decided),
  };
}

/**
 * `precog elo run`: rates every stored NFL game in kickoff order — games with a result
 * update ratings, games without one only get a probability — and stores, in one
 * transaction, `elo_rating@<v>` (team) and `elo_prob_home@<v>` (event), stamped as
 * {@link eloFeatureValues} describes, where `<v>` is {@link eloFeatureVersion}. Initial
 * ratings: `initialRatings` when given, else each team's first stored `elo538_rating@1`,
 * else the preset's default; the calculation method records the rating every team starts
 * from. Re-running the same parameter set changes nothing in the store.
 * Reports `maxAbsDiffVs538` against the stored 538 probabilities and Brier, log loss and
 * accuracy over decided games (ties excluded), overall and for 2000–2020.
 */
export async function runEloOnStore(db: PrecogDb, options: EloRunOptions): Promise<EloRunReport> {
  const overrides = options.overrides ?? {};
  return db.transaction(async (session) => {
    await lockNflImports(session);
    const events = await loadNflEvents(session.db);
    const fromStore = options.initialRatings ? {} : await firstElo538Ratings(session.db);
    const given = options.initialRatings ?? fromStore;
    const source = options.initialRatings ? 'option' : Object.keys(fromStore).length > 0 ? 'store' : 'default';

    const games = events.map(toGame);
    const defaults = presetParams(options.preset, {}, overrides);
    // Record the rating each team actually starts from, whatever its source: the same
    // ratings from a file or from the store give the same parameter set.
    const effective: Record<string, number> = {};
    for (const g of games) {
      for (const team of [g.home, g.away]) effective[team] ??= given[team] ?? defaults.defaultInitialRating;
    }
    const params = presetParams(options.preset, effective, overrides);
    const version = eloFeatureVersion(options.preset, params, overrides);
    const defs = eloFeatureDefinitions(options.preset, params, version);
    const refs = eloFeatureRefs(defs);
    const registered = (await registerFeature(session.db, defs.rating)).created;
    await registerFeature(session.db, defs.probability);

    const run = runElo(params, games);
    const values = eloFeatureValues(run.games, params, refs);
    const report = await ingestRecords(session, `elo run ${refs.rating}`, iterableRecords('elo run', values), {
      defaultSource: ELO_SOURCE,
      onProgress: (read) => options.onProgress?.(read, values.length),
    });

    const predictions: EloPrediction[] = run.games.map((r) => ({
      eventId: r.game.eventId,
      date: r.game.event.date,
      season: r.season,
      team1: r.home,
      team2: r.away,
      prob1: r.homeWinProbability,
      result1: r.homeRatingAfter === null ? null : outcomeOf(r.game.event),
    }));
    const published = await elo538Probabilities(session.db);
    let maxAbsDiffVs538: number | null = null;
    let comparedVs538 = 0;
    for (const p of predictions) {
      const theirs = published.get(p.eventId);
      if (theirs === undefined) continue;
      comparedVs538 += 1;
      maxAbsDiffVs538 = Math.max(maxAbsDiffVs538 ?? 0, Math.abs(p.prob1 - theirs));
    }
    const seasons = predictions.map((p) => p.season);
    const first = seasons.length ? seasons[0]! : ELO_EVAL_WINDOW.first;
    const last = seasons.length ? seasons[seasons.length - 1]! : ELO_EVAL_WINDOW.last;
    const played = predictions.filter((p) => p.result1 !== null).length;
    const { read, inserted, corrected, unchanged } = report;
    return {
      preset: options.preset,
      version,
      features: refs,
      registered,
      params: {
        k: params.k,
        homeAdvantage: params.homeAdvantage,
        revertTo: params.revertTo,
        revertFraction: params.revertFraction,
        marginOfVictory: params.marginOfVictory,
        defaultInitialRating: params.defaultInitialRating,
        fixedReversions: Object.keys(params.fixedReversions).length,
      },
      initialRatings: { source, teams: Object.keys(effective).length },
      games: played,
      unplayed: predictions.length - played,
      maxAbsDiffVs538,
      comparedVs538,
      metrics: {
        overall: scoreWindow(predictions, first, last),
        [`${ELO_EVAL_WINDOW.first}-${ELO_EVAL_WINDOW.last}`]: scoreWindow(predictions, ELO_EVAL_WINDOW.first, ELO_EVAL_WINDOW.last),
      },
      store: { read, inserted, corrected, unchanged },
      predictions,
    };
  });
}
