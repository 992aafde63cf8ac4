import { describe, expect, it } from 'vitest';
import { labelTime, nflKickoff, postGameStamp, preGameStamp, seasonStartStamp } from '../../../src/entities/nfl/nfl-timeline.js';
import type { FeatureValueInput } from '../../../src/features/ingest-sources.js';
import { runElo } from '../../../src/training/elo/elo-engine.js';
import { eloFeatureDefinitions, eloFeatureValues, eloFeatureVersion, type StampedEloGame } from '../../../src/training/elo/elo-features.js';
import { parseParamOverrides, presetParams } from '../../../src/training/elo/elo-param-overrides.js';
import { formatPredictionsCsv } from '../../../src/training/elo/elo-predictions-csv.js';
import { InvalidEloParamsError } from '../../../src/training/elo/errors.js';

function game(date: string, season: number, home: string, away: string, score: [number, number] | null, neutral = false): StampedEloGame {
  return {
    season,
    home,
    away,
    neutral,
    homeScore: score?.[0] ?? null,
    awayScore: score?.[1] ?? null,
    eventId: `nfl-${date}-${away}-at-${home}`,
    kickoff: nflKickoff(date),
  };
}

/** The reference point-in-time read: the latest value with timestamp ≤ t (and available_at ≤ t). */
function latest(values: readonly FeatureValueInput[], feature: string, entity: string, t: Date): number | undefined {
  let best: FeatureValueInput | undefined;
  for (const v of values) {
    const ts = new Date(v.timestamp).getTime();
    const known = new Date(v.available_at ?? v.timestamp).getTime();
    if (v.feature !== feature || v.entity !== entity || ts > t.getTime() || known > t.getTime()) continue;
    if (!best || ts > new Date(best.timestamp).getTime()) best = v;
  }
  return best?.value;
}

describe('Elo feature values', () => {
  const games = [
    game('2019-09-08', 2019, 'KC', 'JAX', [40, 26]),
    game('2019-09-15', 2019, 'OAK', 'KC', [10, 28]),
    game('2019-09-15', 2019, 'NE', 'MIA', [43, 0]), // blowout
    game('2019-09-22', 2019, 'NE', 'KC', [20, 20]), // tie
    game('2020-02-02', 2019, 'KC', 'SF', [31, 20], true), // neutral site, still season 2019
    game('2020-09-10', 2020, 'KC', 'HOU', [34, 20]), // both revert
    game('2020-09-17', 2020, 'SF', 'KC', null), // not played yet: probability only
  ];
  const params = presetParams('538', { KC: 1600, JAX: 1400 });
  const run = runElo(params, games);
  const refs = { rating: 'elo_rating@t', probability: 'elo_prob_home@t' };
  const values = eloFeatureValues(run.games, params, refs);

  it('makes each pre-game rating the latest value at the label time, reversions included, with nothing leaking', () => {
    for (const r of run.games) {
      const t = labelTime(r.game.kickoff);
      expect([r.game.eventId, latest(values, refs.rating, r.home, t)]).toEqual([r.game.eventId, r.homeRatingBefore]);
      expect([r.game.eventId, latest(values, refs.rating, r.away, t)]).toEqual([r.game.eventId, r.awayRatingBefore]);
      expect(latest(values, refs.probability, r.game.eventId, t)).toBe(r.homeWinProbability);
    }
    // KC and SF enter 2020 reverted; HOU's first game ever does not revert.
    expect(run.reversions.map((r) => r.team).sort()).toEqual(['KC', 'SF']);
  });

  it('stamps initial ratings and reversions at season start, post-game ratings at kickoff + 4 h, probabilities at kickoff − 2 h', () => {
    const kc = values.filter((v) => v.feature === refs.rating && v.entity === 'KC');
    expect(kc.map((v) => [new Date(v.timestamp).toISOString(), v.external_reference_id])).toEqual([
      [seasonStartStamp(2019).toISOString(), 'initial'],
      [postGameStamp(nflKickoff('2019-09-08')).toISOString(), 'nfl-2019-09-08-JAX-at-KC'],
      [postGameStamp(nflKickoff('2019-09-15')).toISOString(), 'nfl-2019-09-15-KC-at-OAK'],
      [postGameStamp(nflKickoff('2019-09-22')).toISOString(), 'nfl-2019-09-22-KC-at-NE'],
      [postGameStamp(nflKickoff('2020-02-02')).toISOString(), 'nfl-2020-02-02-SF-at-KC'],
      [seasonStartStamp(2020).toISOString(), 'reversion:2020'],
      [postGameStamp(nflKickoff('2020-09-10')).toISOString(), 'nfl-2020-09-10-HOU-at-KC'],
    ]);
    expect(kc[0]!.value).toBe(1600);
    expect(values.every((v) => v.available_at === v.timestamp && v.external_source === 'computed')).toBe(true);
    const probs = values.filter((v) => v.feature === refs.probability);
    expect(probs).toHaveLength(games.length);
    expect(probs.at(-1)).toMatchObject({ entity: 'nfl-2020-09-17-KC-at-SF', timestamp: preGameStamp(nflKickoff('2020-09-17')) });
  });
});

describe('Elo feature versions and parameters', () => {
  it("is '538' for the unmodified preset and a stable hash of the parameters otherwise", () => {
    const base = presetParams('538', { KC: 1600 });
    expect(eloFeatureVersion('538', base, {})).toBe('538');
    const k25 = presetParams('538', { KC: 1600 }, { k: 25 });
    const v = eloFeatureVersion('538', k25, { k: 25 });
    expect(v).toMatch(/^p[0-9a-f]{10}$/);
    expect(eloFeatureVersion('538', presetParams('538', { KC: 1600 }, { k: 25 }), { k: 25 })).toBe(v);
    expect(eloFeatureVersion('538', presetParams('538', { KC: 1601 }, { k: 25 }), { k: 25 })).not.toBe(v);
    expect(eloFeatureVersion('538', presetParams('538', { KC: 1600 }, { k: 26 }), { k: 26 })).not.toBe(v);
    const defs = eloFeatureDefinitions('538', k25, v);
    expect(defs.rating).toMatchObject({ name: 'elo_rating', version: v, entity_type: 'team' });
    expect(defs.probability).toMatchObject({ name: 'elo_prob_home', version: v, entity_type: 'event', data_type: 'probability' });
    expect(defs.rating.calculation_method.parameters).toMatchObject({ preset: '538', k: 25, initialRatings: { KC: 1600 } });
  });

  it('parses --param overrides and rejects unknown keys, repeats and bad values', () => {
    expect(parseParamOverrides(['k=25', 'homeAdvantage=-10', 'marginOfVictory=false', 'revertFraction=0.5'])).toEqual({
      k: 25,
      homeAdvantage: -10,
      marginOfVictory: false,
      revertFraction: 0.5,
    });
    for (const bad of [['kk=1'], ['k=1', 'k=2'], ['k=abc'], ['k'], ['initialRatings=1']]) {
      expect(() => parseParamOverrides(bad), bad.join(' ')).toThrow(InvalidEloParamsError);
    }
    expect(() => presetParams('538', {}, { k: -1 })).toThrow(InvalidEloParamsError);
    expect(() => presetParams('538', {}, { k: true })).toThrow(InvalidEloParamsError);
  });

  it('writes predictions as date,season,team1,team2,prob1', () => {
    const csv = formatPredictionsCsv([
      { eventId: 'x', date: '2020-09-10', season: 2020, team1: 'KC', team2: 'HOU', prob1: 0.7617556234419874, result1: 1 },
    ]);
    expect(csv).toBe('date,season,team1,team2,prob1\n2020-09-10,2020,KC,HOU,0.7617556234419874\n');
  });
});
