import { describe, expect, it } from 'vitest';
import { InvalidLeagueOptionsError } from '../../../src/entities/synthetic/errors.js';
import { generateLeague, syntheticEventId } from '../../../src/entities/synthetic/league.js';
import { priceNoiseSd } from '../../../src/entities/synthetic/league-markets.js';
import { parseLeagueOptions } from '../../../src/entities/synthetic/league-options.js';
import { openingSunday } from '../../../src/entities/synthetic/league-schedule.js';

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// The full default league (32 teams × 10 seasons): generated once, ~0.1 s.
const full = generateLeague({ seed: 2024 });
const small = { seed: 11, teams: 8, seasons: 2 } as const;

describe('generateLeague', () => {
  it('is deterministic: the same options give a deep-equal league', () => {
    expect(generateLeague(small)).toStrictEqual(generateLeague(small));
  });

  it('differs with the seed, and keeps the teams', () => {
    const a = generateLeague(small);
    const b = generateLeague({ ...small, seed: 12 });
    expect(b.teams).toStrictEqual(a.teams);
    expect(b.games.map((g) => g.eventId)).not.toEqual(a.games.map((g) => g.eventId));
    expect(b.games.map((g) => g.homeScore)).not.toEqual(a.games.map((g) => g.homeScore));
  });

  it('keeps the schedule and scores when only the market options change (independent streams)', () => {
    const a = generateLeague(small);
    const b = generateLeague({ ...small, market: { snapshotMinutesBeforeKickoff: [600, 30] } });
    expect(b.games).toStrictEqual(a.games);
    expect(b.markets.map((m) => m.snapshots.length)).toEqual(a.markets.map(() => 2));
  });

  it('has the requested size: teams, players, weeks, one strength per team per week', () => {
    const o = full.options;
    expect(full.teams).toHaveLength(32);
    expect(new Set(full.teams.map((t) => t.code)).size).toBe(32);
    expect(new Set(full.teams.map((t) => t.name)).size).toBe(32);
    expect(new Set(full.teams.map((t) => t.division)).size).toBe(8);
    expect(full.players).toHaveLength(32 * o.players.length);
    expect(full.games).toHaveLength(10 * 16 * 16);
    expect(full.markets).toHaveLength(full.games.length);
    expect(full.strengths).toHaveLength(32 * 10 * 16);
    expect(new Set(full.games.map((g) => g.eventId)).size).toBe(full.games.length);
  });

  it('schedules every team once a week against another team, balancing home games', () => {
    for (const league of [full, generateLeague({ seed: 5, teams: 7, seasons: 2 })]) {
      const byWeek = new Map<string, string[]>();
      for (const g of league.games) {
        expect(g.home).not.toBe(g.away);
        expect(g.eventId).toBe(syntheticEventId(g.season, g.week, g.home, g.away));
        const key = `${g.season}-${g.week}`;
        byWeek.set(key, [...(byWeek.get(key) ?? []), g.home, g.away]);
      }
      expect(byWeek.size).toBe(league.options.seasons * league.options.gamesPerTeam);
      for (const teams of byWeek.values()) {
        expect(new Set(teams).size).toBe(teams.length);
        // Everyone plays; with an odd count exactly one team rests.
        expect(teams.length).toBe(league.teams.length - (league.teams.length % 2));
      }
    }
    // The home team is the one with fewer home games so far: each 16-game season splits 8/8 (here within one).
    const homeGames = new Map<string, number>();
    for (const g of full.games) homeGames.set(`${g.season}-${g.home}`, (homeGames.get(`${g.season}-${g.home}`) ?? 0) + 1);
    expect(homeGames.size).toBe(32 * 10);
    for (const n of homeGames.values()) expect(Math.abs(n - 8)).toBeLessThanOrEqual(1);
  });

  it('plays on Sundays at the default kickoff, week 1 the Sunday after Labor Day', () => {
    expect(openingSunday(2015)).toBe('2015-09-13'); // Labor Day 2015: September 7
    expect(openingSunday(2020)).toBe('2020-09-13'); // Labor Day 2020: September 7
    expect(openingSunday(2021)).toBe('2021-09-12'); // Labor Day 2021: September 6
    for (const g of full.games) {
      expect(g.kickoff.getUTCDay()).toBe(0);
      expect(g.kickoff.toISOString()).toBe(`${g.date}T18:00:00.000Z`);
    }
  });

  it('scores are whole, non-negative, consistent with the latent probabilities; ties rare', () => {
    for (const g of full.games) {
      expect(Number.isInteger(g.homeScore) && g.homeScore >= 0).toBe(true);
      expect(Number.isInteger(g.awayScore) && g.awayScore >= 0).toBe(true);
      expect(g.homeWinProbability + g.tieProbability).toBeLessThanOrEqual(1);
      expect(g.expectedMargin).toBeCloseTo(g.homeEffectiveStrength - g.awayEffectiveStrength + full.options.homeAdvantage, 12);
    }
    const ties = full.games.filter((g) => g.homeScore === g.awayScore).length;
    expect(ties).toBeGreaterThan(0);
    expect(ties / full.games.length).toBeLessThan(0.02);
    // Calibration of the latent probability: observed home wins within 3 standard errors of the expected count.
    const expected = full.games.reduce((a, g) => a + g.homeWinProbability, 0);
    const variance = full.games.reduce((a, g) => a + g.homeWinProbability * (1 - g.homeWinProbability), 0);
    const observed = full.games.filter((g) => g.homeScore > g.awayScore).length;
    expect(Math.abs(observed - expected)).toBeLessThan(3 * Math.sqrt(variance));
  });

  it('shows the home advantage in results over a large league, and none without it', () => {
    const homeWinShare = (league: typeof full) =>
      league.games.filter((g) => g.homeScore > g.awayScore).length /
      league.games.filter((g) => g.homeScore !== g.awayScore).length;
    // 2,560 decided games: the standard error of a share is ~0.01; 2.5 points is ~+7 points of win share.
    expect(homeWinShare(full)).toBeGreaterThan(0.54);
    const neutral = generateLeague({ seed: 2024, homeAdvantage: 0 });
    expect(Math.abs(homeWinShare(neutral) - 0.5)).toBeLessThan(0.03);
    expect(mean(full.games.map((g) => g.homeScore - g.awayScore))).toBeGreaterThan(1.5);
  });

  it('exports latent strengths that drive results and persist between seasons', () => {
    const byKey = new Map(full.strengths.map((s) => [`${s.season}-${s.week}-${s.team}`, s]));
    for (const g of full.games.slice(0, 200)) {
      expect(byKey.get(`${g.season}-${g.week}-${g.home}`)!.effectiveStrength).toBe(g.homeEffectiveStrength);
      expect(byKey.get(`${g.season}-${g.week}-${g.away}`)!.strength).toBe(g.awayStrength);
    }
    // Each season opens centred on 0.
    for (let season = 2015; season < 2025; season++) {
      expect(mean(full.strengths.filter((s) => s.season === season && s.week === 1).map((s) => s.strength))).toBeCloseTo(0, 9);
    }
    // Partial regression: week-1 strengths correlate with the previous season's week 1.
    const week1 = (season: number) => full.teams.map((t) => byKey.get(`${season}-1-${t.code}`)!.strength);
    expect(correlation(week1(2019), week1(2020))).toBeGreaterThan(0.3);
    // Better teams win more: strength difference vs. margin.
    expect(correlation(full.games.map((g) => g.expectedMargin), full.games.map((g) => g.homeScore - g.awayScore))).toBeGreaterThan(0.2);
  });

  it('injuries: weeks within the season, the players out lower effective strength', () => {
    const quarterbacks = full.injuries.filter((i) => i.position === 'QB');
    expect(quarterbacks.length).toBeGreaterThan(20);
    for (const injury of full.injuries) {
      expect(injury.weeks.length).toBeGreaterThan(0);
      expect(injury.weeks.every((w, i) => w >= 1 && w <= 16 && (i === 0 || w === injury.weeks[i - 1]! + 1))).toBe(true);
    }
    const impact = new Map(full.players.map((p) => [p.externalId, p.impact]));
    for (const g of full.games) {
      const lost = g.homeOut.reduce((a, id) => a + impact.get(id)!, 0);
      expect(g.homeStrength - g.homeEffectiveStrength).toBeCloseTo(lost, 9);
    }
    // Every week listed out in an injury is a week the player is out in his team's game.
    const outIn = new Set(full.games.flatMap((g) => [...g.homeOut, ...g.awayOut].map((id) => `${g.season}-${g.week}-${id}`)));
    for (const injury of quarterbacks) for (const w of injury.weeks) expect(outIn.has(`${injury.season}-${w}-${injury.player}`)).toBe(true);
  });

  it('market prices lie on the cent grid in [0.01, 0.99] and converge to the truth before kickoff', () => {
    const minutes = full.options.market.snapshotMinutesBeforeKickoff;
    expect(minutes).toEqual([4320, 1440, 360, 60, 5]);
    const problems: string[] = [];
    for (const [i, m] of full.markets.entries()) {
      const g = full.games[i]!;
      const check = (ok: boolean, what: string) => {
        if (!ok) problems.push(`${m.marketId}: ${what}`);
      };
      check(m.eventId === g.eventId && m.marketId === `KX-${g.eventId}`, 'ids');
      check(Math.abs(m.fairPrice - (g.homeWinProbability + g.tieProbability / 2)) < 1e-12, 'fair price');
      check(m.settlement.value === (g.homeScore > g.awayScore ? 1 : g.homeScore < g.awayScore ? 0 : 0.5), 'settlement value');
      check(m.settlement.at.getTime() === g.kickoff.getTime() + 4 * 3_600_000, 'settlement time');
      m.snapshots.forEach((s, k) => {
        check(s.at.getTime() === g.kickoff.getTime() - minutes[k]! * 60_000, `snapshot ${k} time`);
        check(s.yesPrice >= 0.01 && s.yesPrice <= 0.99, `snapshot ${k} price ${s.yesPrice} out of range`);
        check(Math.round(s.yesPrice * 100) / 100 === s.yesPrice, `snapshot ${k} price ${s.yesPrice} off the cent grid`);
      });
    }
    expect(problems).toEqual([]);
    const meanError = (k: number) => mean(full.markets.map((m) => Math.abs(m.snapshots[k]!.yesPrice - m.fairPrice)));
    const errors = minutes.map((_, k) => meanError(k));
    expect(errors[4]!).toBeLessThan(errors[0]!);
    // Monotone: each snapshot closer to kickoff is closer to the truth.
    for (let k = 1; k < errors.length; k++) expect(errors[k]!).toBeLessThan(errors[k - 1]!);
    expect(priceNoiseSd(full.options.market, 4320)).toBeCloseTo(full.options.market.noiseAtOpen, 12);
    expect(priceNoiseSd(full.options.market, 0)).toBeCloseTo(full.options.market.noiseAtClose, 12);
  });

  it('clamps extreme prices to [0.01, 0.99]', () => {
    const lopsided = generateLeague({ seed: 3, teams: 4, seasons: 1, strength: { initialSd: 30 }, market: { noiseAtOpen: 3 } });
    const prices = lopsided.markets.flatMap((m) => m.snapshots.map((s) => s.yesPrice));
    expect(prices).toContain(0.01);
    expect(prices).toContain(0.99);
    expect(Math.min(...prices)).toBe(0.01);
    expect(Math.max(...prices)).toBe(0.99);
  });

  it('rejects invalid options, naming every field at fault', () => {
    expect(() => generateLeague({ seed: -1 })).toThrow(InvalidLeagueOptionsError);
    try {
      parseLeagueOptions({ seed: 1, teams: 1, market: { snapshotMinutesBeforeKickoff: [60, 120] }, extra: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidLeagueOptionsError);
      const issues = (error as InvalidLeagueOptionsError).issues.join('\n');
      expect(issues).toMatch(/teams/);
      expect(issues).toMatch(/market\.snapshotMinutesBeforeKickoff: must be strictly decreasing/);
      expect(issues).toMatch(/extra/);
    }
    expect(() => parseLeagueOptions({ seed: 1, players: [{ position: 'QB', impact: 1, injuryRate: 0, maxWeeksOut: 1 }, { position: 'QB', impact: 2, injuryRate: 0, maxWeeksOut: 1 }] })).toThrow(
      /positions must be unique/,
    );
  });

  it('fills nested defaults and does not share them between leagues', () => {
    const a = parseLeagueOptions({ seed: 1, strength: { weeklyDrift: 0 } });
    expect(a.strength).toEqual({ initialSd: 6, weeklyDrift: 0, seasonCarryover: 0.67, seasonNoise: 4 });
    expect(a.scores.marginSd).toBe(13.5);
    const b = parseLeagueOptions({ seed: 1 });
    expect(b.players).not.toBe(a.players);
    expect(b.market.snapshotMinutesBeforeKickoff).not.toBe(a.market.snapshotMinutesBeforeKickoff);
  });
});

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
