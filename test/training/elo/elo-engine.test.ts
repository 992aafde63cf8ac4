import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createEloEngine, runElo, type EloGame } from '../../../src/training/elo/elo-engine.js';
import { parseEloParams, type EloParams } from '../../../src/training/elo/elo-params.js';
import { eloWinProbability } from '../../../src/training/elo/elo-probability.js';
import { InvalidEloGameError, InvalidEloParamsError } from '../../../src/training/elo/errors.js';
import { marginOfVictoryMultiplier } from '../../../src/training/elo/margin-of-victory.js';
import { create538EloParams } from '../../../src/training/elo/preset-538.js';

// Expected numbers below were computed by hand with 30-digit arithmetic (mpmath), not by
// this code: p(65) = 1/(10^(−65/400)+1), etc.
const P_65 = 0.592466230584331767842076075805;
const P_165 = 0.721078243197560099411229268263;

function params(overrides: Partial<EloParams> = {}): EloParams {
  return parseEloParams({
    k: 20,
    homeAdvantage: 65,
    revertTo: 1505,
    revertFraction: 1 / 3,
    marginOfVictory: true,
    fixedReversions: {},
    initialRatings: { A: 1500, B: 1500 },
    defaultInitialRating: 1300,
    ...overrides,
  });
}

function game(season: number, home: string, away: string, score: [number, number] | null, neutral = false): EloGame {
  return {
    season,
    home,
    away,
    neutral,
    homeScore: score === null ? null : score[0],
    awayScore: score === null ? null : score[1],
  };
}

describe('eloWinProbability', () => {
  it('is 0.5 at no difference and 10/11 at +400', () => {
    expect(eloWinProbability(0)).toBe(0.5);
    expect(eloWinProbability(400)).toBeCloseTo(10 / 11, 15);
    expect(eloWinProbability(-400)).toBeCloseTo(1 / 11, 15);
    expect(eloWinProbability(65)).toBeCloseTo(P_65, 15);
  });
});

describe('marginOfVictoryMultiplier', () => {
  it('follows 538: ln(|margin|+1) · 2.2 / (±diff/1000 + 2.2), tie → ln 2 · 2.2', () => {
    expect(marginOfVictoryMultiplier(7, 100)).toBeCloseTo((Math.log(8) * 2.2) / 2.3, 14);
    expect(marginOfVictoryMultiplier(-7, 100)).toBeCloseTo((Math.log(8) * 2.2) / 2.1, 14);
    expect(marginOfVictoryMultiplier(0, 100)).toBeCloseTo(Math.log(2) * 2.2, 14);
    expect(marginOfVictoryMultiplier(0, -300)).toBeCloseTo(Math.log(2) * 2.2, 14);
    // A one-point win between equals: ln(max(1, 1) + 1) · 2.2 / 2.2 = ln 2.
    expect(marginOfVictoryMultiplier(1, 0)).toBeCloseTo(Math.log(2), 14);
  });
});

describe('createEloEngine', () => {
  it('neutral site without MOV: equal teams, p = 0.5, winner gains K/2', () => {
    const engine = createEloEngine(params({ marginOfVictory: false }));
    const r = engine.play(game(2000, 'A', 'B', [10, 3], true));
    expect(r.homeWinProbability).toBe(0.5);
    expect(r.homeRatingAfter).toBe(1510);
    expect(r.awayRatingAfter).toBe(1490);
    expect(r.reversions).toEqual([]);
  });

  it('home-field advantage enters the difference unless neutral', () => {
    const engine = createEloEngine(params({ marginOfVictory: false }));
    const r = engine.play(game(2000, 'A', 'B', [10, 3]));
    expect(r.homeWinProbability).toBeCloseTo(P_65, 14);
    expect(r.homeRatingAfter).toBeCloseTo(1500 + 20 * (1 - P_65), 10);
    expect(r.awayRatingAfter).toBeCloseTo(1500 - 20 * (1 - P_65), 10);
  });

  it('a tie moves the favourite down by K · ln2 · 2.2 · (0.5 − p)', () => {
    const engine = createEloEngine(params({ initialRatings: { A: 1600, B: 1500 } }));
    const r = engine.play(game(2000, 'A', 'B', [17, 17]));
    expect(r.homeWinProbability).toBeCloseTo(P_165, 14);
    // hand-computed shift: −6.74254948204352640752...
    expect(r.homeRatingAfter).toBeCloseTo(1600 - 6.742549482043526, 10);
    expect(r.awayRatingAfter).toBeCloseTo(1500 + 6.742549482043526, 10);
  });

  it('a blowout is scaled by the MOV multiplier, more for an upset', () => {
    const win = createEloEngine(params()).play(game(2000, 'A', 'B', [42, 0]));
    // mult = ln 43 · 2.2 / 2.265 = 3.65326280553…; shift = 20 · mult · (1 − p) = 29.77655923607…
    expect(win.homeRatingAfter).toBeCloseTo(1529.7765592360754, 9);
    expect(win.awayRatingAfter).toBeCloseTo(1470.2234407639246, 9);

    const upset = createEloEngine(params()).play(game(2000, 'A', 'B', [0, 35]));
    // mult = ln 36 · 2.2 / 2.135 = 3.69261904665…; shift = 20 · mult · (0 − p) = −43.75504175108…
    expect(upset.homeRatingAfter).toBeCloseTo(1456.2449582489157, 9);
    expect(upset.awayRatingAfter).toBeCloseTo(1543.7550417510843, 9);
  });

  it('reverts a team a third of the way to 1505 at its first game of a later season, once', () => {
    const p = params({ marginOfVictory: false, initialRatings: { A: 1505, B: 1505 } });
    const run = runElo(p, [
      game(2000, 'A', 'B', [7, 0], true), // A 1515, B 1495
      game(2001, 'A', 'C', [0, 0], true), // A reverts; C (new, 1300) does not
      game(2003, 'B', 'C', null, true), // B skipped two seasons: one reversion; C reverts too
    ]);
    const [first, second, third] = run.games;
    expect(first?.homeRatingAfter).toBe(1515);
    expect(second?.homeRatingBefore).toBeCloseTo(1511.6666666666667, 10);
    expect(second?.awayRatingBefore).toBe(1300);
    expect(second?.reversions).toHaveLength(1);
    expect(third?.homeRatingBefore).toBeCloseTo(1498.3333333333333, 10);
    expect(run.reversions.map((r) => [r.team, r.season, r.fixed])).toEqual([
      ['A', 2001, false],
      ['B', 2003, false],
      ['C', 2003, false],
    ]);
    expect(run.reversions[0]?.ratingBefore).toBe(1515);
    expect(run.reversions[0]?.ratingAfter).toBeCloseTo(1511.6666666666667, 10);
  });

  it('a fixed reversion replaces the formula for that team and season', () => {
    const p = params({ marginOfVictory: false, fixedReversions: { B2003: 1400 } });
    const run = runElo(p, [game(2000, 'A', 'B', [7, 0], true), game(2003, 'B', 'A', [3, 0], true)]);
    const second = run.games[1];
    expect(second?.homeRatingBefore).toBe(1400);
    expect(second?.awayRatingBefore).toBeCloseTo(1510 * (2 / 3) + 1505 / 3, 10);
    expect(run.reversions.find((r) => r.team === 'B')).toMatchObject({
      season: 2003,
      ratingBefore: 1490,
      ratingAfter: 1400,
      fixed: true,
    });
  });

  it('an unscored game yields a probability but updates nothing', () => {
    const engine = createEloEngine(params());
    const r = engine.play(game(2000, 'A', 'B', null));
    expect(r.homeWinProbability).toBeCloseTo(P_65, 14);
    expect(r.homeRatingAfter).toBeNull();
    expect(r.awayRatingAfter).toBeNull();
    const next = engine.play(game(2000, 'B', 'A', null, true));
    expect([next.homeRatingBefore, next.awayRatingBefore]).toEqual([1500, 1500]);
  });

  it('starts unknown teams at defaultInitialRating', () => {
    const r = createEloEngine(params()).play(game(2000, 'X', 'A', null, true));
    expect(r.homeRatingBefore).toBe(1300);
  });

  it('passes the input game through', () => {
    const input = { ...game(2000, 'A', 'B', [1, 0]), date: '2000-09-03', id: 7 };
    const r = createEloEngine(params()).play(input);
    expect(r.game.date).toBe('2000-09-03');
    expect(r.game).toBe(input);
  });

  it('rejects half a score and a season going backwards, changing nothing', () => {
    const engine = createEloEngine(params());
    engine.play(game(2001, 'A', 'B', [3, 0]));
    const before = engine.teams();
    expect(() => engine.play({ ...game(2001, 'A', 'B', null), homeScore: 3 })).toThrow(InvalidEloGameError);
    expect(() => engine.play(game(2000, 'B', 'C', [3, 0]))).toThrow(InvalidEloGameError);
    expect(() => engine.play(game(2001, 'A', 'A', [3, 0]))).toThrow(InvalidEloGameError);
    expect(() => engine.play(game(2001, 'A', 'B', [-1, 0]))).toThrow(InvalidEloGameError);
    expect(engine.teams()).toEqual(before);
  });

  it('resumes from a seeded state exactly as an uninterrupted run', () => {
    const games = [
      game(2000, 'A', 'B', [21, 14]),
      game(2000, 'C', 'A', [3, 30]),
      game(2001, 'B', 'C', [10, 10]),
      game(2001, 'A', 'B', [0, 7], true),
      game(2002, 'C', 'A', [28, 3]),
    ];
    const whole = runElo(params(), games);
    const first = createEloEngine(params());
    for (const g of games.slice(0, 2)) first.play(g);
    const resumed = createEloEngine(params(), first.teams());
    const rest = games.slice(2).map((g) => resumed.play(g));
    expect(rest).toEqual(whole.games.slice(2));
    expect(resumed.teams()).toEqual(whole.teams);
  });

  it('conserves the sum of ratings within a season (property)', () => {
    const teams = ['A', 'B', 'C', 'D'];
    const arbGame = fc
      .record({
        h: fc.integer({ min: 0, max: 3 }),
        a: fc.integer({ min: 1, max: 3 }),
        s1: fc.integer({ min: 0, max: 60 }),
        s2: fc.integer({ min: 0, max: 60 }),
        neutral: fc.boolean(),
      })
      .map(({ h, a, s1, s2, neutral }) => game(2000, teams[h] ?? 'A', teams[(h + a) % 4] ?? 'B', [s1, s2], neutral));
    fc.assert(
      fc.property(fc.array(arbGame, { maxLength: 40 }), (games) => {
        const p = params({ initialRatings: { A: 1500, B: 1500, C: 1500, D: 1500 } });
        const engine = createEloEngine(p, teams.map((team) => ({ team, rating: 1500, season: 2000 })));
        for (const g of games) engine.play(g);
        const total = engine.teams().reduce((sum, t) => sum + t.rating, 0);
        expect(total).toBeCloseTo(6000, 8);
      }),
    );
  });
});

describe('parseEloParams', () => {
  const good = {
    k: 20,
    homeAdvantage: 65,
    revertTo: 1505,
    revertFraction: 1 / 3,
    marginOfVictory: true,
    fixedReversions: { CLE1999: 1300 },
    initialRatings: { CLE: 1300 },
    defaultInitialRating: 1300,
  };

  it('returns a frozen copy', () => {
    const p = parseEloParams(good);
    expect(p).toEqual(good);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.fixedReversions)).toBe(true);
    expect(Object.isFrozen(p.initialRatings)).toBe(true);
  });

  it.each([
    [{ k: 0 }, 'k'],
    [{ k: Number.NaN }, 'k'],
    [{ revertFraction: 1.5 }, 'revertFraction'],
    [{ homeAdvantage: Number.POSITIVE_INFINITY }, 'homeAdvantage'],
    [{ marginOfVictory: 'yes' }, 'marginOfVictory'],
    [{ fixedReversions: { CLE: 1300 } }, 'fixedReversions.CLE'],
    [{ initialRatings: { CLE: '1300' } }, 'initialRatings.CLE'],
    [{ kFactor: 20 }, 'kFactor'],
  ])('names the bad field of %j', (bad, field) => {
    expect(() => parseEloParams({ ...good, ...bad })).toThrow(InvalidEloParamsError);
    try {
      parseEloParams({ ...good, ...bad });
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidEloParamsError);
      expect((e as InvalidEloParamsError).field).toBe(field);
      expect((e as InvalidEloParamsError).code).toBe('INVALID_ELO_PARAMS');
    }
  });

  it('builds the 538 preset', () => {
    const p = create538EloParams({ GB: 1413.889 });
    expect(p).toMatchObject({ k: 20, homeAdvantage: 65, revertTo: 1505, marginOfVictory: true });
    expect(p.revertFraction).toBeCloseTo(1 / 3, 15);
    expect(Object.keys(p.fixedReversions)).toHaveLength(11);
    expect(p.fixedReversions['CLE1999']).toBe(1300);
    expect(p.initialRatings['GB']).toBe(1413.889);
  });
});
