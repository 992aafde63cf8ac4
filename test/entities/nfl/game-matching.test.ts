import { describe, expect, it } from 'vitest';
import { matchGames } from '../../../src/entities/nfl/game-matching.js';

const ss = (date: string, home: string, away: string, neutral = false) => ({ date, home, away, neutral });
const fte = (date: string, team1: string, team2: string, neutral = false) => ({ date, team1, team2, neutral });

describe('matchGames', () => {
  it('matches same teams on the same date, or one day apart', () => {
    const s = [ss('2020-09-13', 'WSH', 'PHI'), ss('2020-09-14', 'NYG', 'PIT')];
    const f = [fte('2020-09-15', 'NYG', 'PIT'), fte('2020-09-13', 'WSH', 'PHI')];
    const result = matchGames(s, f);
    expect(result.matched.map((m) => [m.spreadspoke.home, m.fiveThirtyEight.date, m.swapped, m.dayOffset])).toEqual([
      ['WSH', '2020-09-13', false, 0],
      ['NYG', '2020-09-15', false, 1],
    ]);
    expect(result.unmatchedSpreadspoke).toEqual([]);
    expect(result.unmatchedFiveThirtyEight).toEqual([]);
  });

  it('allows swapped home/away only at a neutral site (either file)', () => {
    const s = [ss('2021-02-07', 'TB', 'KC'), ss('2020-12-07', 'SF', 'BUF', true), ss('2020-10-04', 'DAL', 'CLE')];
    const f = [fte('2021-02-07', 'KC', 'TB', true), fte('2020-12-07', 'BUF', 'SF'), fte('2020-10-04', 'CLE', 'DAL')];
    const result = matchGames(s, f);
    expect(result.matched.map((m) => [m.spreadspoke.home, m.swapped])).toEqual([
      ['TB', true],
      ['SF', true],
    ]);
    expect(result.unmatchedSpreadspoke).toEqual([s[2]]);
    expect(result.unmatchedFiveThirtyEight).toEqual([f[2]]);
  });

  it('never matches more than two days apart, nor uses a 538 game twice', () => {
    const s = [ss('2020-09-13', 'KC', 'HOU'), ss('2020-09-14', 'KC', 'HOU'), ss('2020-09-20', 'KC', 'LAC')];
    const f = [fte('2020-09-13', 'KC', 'HOU'), fte('2020-09-22', 'KC', 'LAC')];
    const result = matchGames(s, f);
    expect(result.matched).toHaveLength(1);
    expect(result.matched[0]?.spreadspoke).toBe(s[0]);
    expect(result.unmatchedSpreadspoke).toEqual([s[1], s[2]]);
    expect(result.unmatchedFiveThirtyEight).toEqual([f[1]]);
  });

  it('gives an exact-date game priority over a neighbour one day off', () => {
    // The first spreadspoke game would take the 13th game in a naive greedy scan.
    const s = [ss('2020-09-14', 'KC', 'HOU'), ss('2020-09-13', 'KC', 'HOU')];
    const f = [fte('2020-09-13', 'KC', 'HOU'), fte('2020-09-15', 'KC', 'HOU')];
    const result = matchGames(s, f);
    expect(result.matched.map((m) => [m.spreadspoke.date, m.fiveThirtyEight.date])).toEqual([
      ['2020-09-14', '2020-09-15'],
      ['2020-09-13', '2020-09-13'],
    ]);
  });
});
