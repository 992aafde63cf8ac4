import { beforeAll, describe, expect, it } from 'vitest';
import { parseFiveThirtyEightCsvFile, type FiveThirtyEightGame } from '../../../src/entities/nfl/fivethirtyeight-csv.js';
import { homeResult, nflEventId, nflEventRow } from '../../../src/entities/nfl/nfl-events.js';
import {
  closingLineStamp,
  labelTime,
  nflKickoff,
  postGameStamp,
  preGameStamp,
  seasonStartStamp,
} from '../../../src/entities/nfl/nfl-timeline.js';
import { closingLineVersions, priceText } from '../../../src/features/sources/closing-line-markets.js';
import { NFL_FILES, nflDataPresent } from './nfl-data.js';

describe('NFL time stamps', () => {
  it('orders pre-game < label < closing line (kickoff) < post-game around a kickoff', () => {
    const kickoff = nflKickoff('2020-09-10');
    expect(kickoff.toISOString()).toBe('2020-09-10T18:00:00.000Z');
    expect(preGameStamp(kickoff).toISOString()).toBe('2020-09-10T16:00:00.000Z');
    expect(labelTime(kickoff).toISOString()).toBe('2020-09-10T17:00:00.000Z');
    expect(closingLineStamp(kickoff).toISOString()).toBe('2020-09-10T18:00:00.000Z');
    expect(postGameStamp(kickoff).toISOString()).toBe('2020-09-10T22:00:00.000Z');
    expect(seasonStartStamp(2020).toISOString()).toBe('2020-06-01T00:00:00.000Z');
  });

  const present = nflDataPresent('NFL time stamps against nfl_games.csv');
  describe.skipIf(!present)("against 538's games", () => {
    let games: readonly FiveThirtyEightGame[] = [];
    beforeAll(async () => {
      games = await parseFiveThirtyEightCsvFile(NFL_FILES.games);
    });

    it("puts each season's start after every game of the previous season and before any game of its own", () => {
      const bounds = new Map<number, { first: Date; last: Date }>();
      for (const g of games) {
        const k = nflKickoff(g.date);
        const b = bounds.get(g.season) ?? { first: k, last: k };
        bounds.set(g.season, { first: k < b.first ? k : b.first, last: k > b.last ? k : b.last });
      }
      expect(bounds.size).toBe(101);
      for (const [season, { first }] of bounds) {
        const start = seasonStartStamp(season);
        expect([season, preGameStamp(first) > start]).toEqual([season, true]);
        const previous = bounds.get(season - 1);
        if (previous) expect([season, postGameStamp(previous.last) < start]).toEqual([season, true]);
      }
    });

    it("makes a team's post-game rating visible at its next game's label time", () => {
      const last = new Map<string, Date>();
      let closest = Infinity;
      for (const g of games) {
        const k = nflKickoff(g.date);
        for (const team of [g.team1, g.team2]) {
          const before = last.get(team);
          if (before) closest = Math.min(closest, labelTime(k).getTime() - postGameStamp(before).getTime());
          last.set(team, k);
        }
      }
      // At least a day between a team's games: 24 h − 4 h − 1 h.
      expect(closest).toBeGreaterThanOrEqual(19 * 3_600_000);
    });
  });
});

describe('NFL event rows', () => {
  const ids = new Map([
    ['KC', 1],
    ['HOU', 2],
  ]);
  it('builds a deterministic id, kickoff, status and result', () => {
    expect(nflEventId('2020-09-10', 'KC', 'HOU')).toBe('nfl-2020-09-10-HOU-at-KC');
    expect([homeResult(3, 1), homeResult(1, 3), homeResult(2, 2), homeResult(null, null)]).toEqual([1, 0, 0.5, null]);
    const input = {
      platform: 'fivethirtyeight' as const,
      date: '2020-09-10',
      season: 2020,
      week: null,
      playoff: false,
      neutral: false,
      home: 'KC',
      away: 'HOU',
      metadata: null,
    };
    expect(nflEventRow({ ...input, homeScore: 34, awayScore: 20 }, ids)).toMatchObject({
      event_id: 'nfl-2020-09-10-HOU-at-KC',
      external_id: '2020-09-10:KC:HOU',
      start_time: new Date('2020-09-10T18:00:00Z'),
      status: 'final',
      result: { home_win: 1 },
      home_team_id: 1,
      away_team_id: 2,
    });
    expect(nflEventRow({ ...input, homeScore: null, awayScore: null }, ids)).toMatchObject({ status: 'scheduled', result: null });
    expect(() => nflEventRow({ ...input, away: 'XYZ', homeScore: null, awayScore: null }, ids)).toThrow(/XYZ/);
  });
});

describe('closing-line market versions', () => {
  const line = {
    eventId: 'nfl-2020-09-10-HOU-at-KC',
    eventTitle: 'NFL 2020-09-10: HOU at KC',
    kickoff: nflKickoff('2020-09-10'),
    homeWinProbability: 0.74964,
    spreadLineHome: -9,
    totalLine: 54,
    sigma: 13.45,
  };
  it('prices at 4 places, closed at kickoff, settled at kickoff + 4 h once final', () => {
    expect([priceText(0.74964), priceText(0.74966), priceText(0.5), priceText(1)]).toEqual(['0.7496', '0.7497', '0.5000', '1.0000']);
    const final = closingLineVersions({ ...line, homeResult: 1 });
    expect(final.map((v) => [v.at.toISOString(), v.content.status, v.content.yes_price, v.content.no_price, v.content.settlement_value])).toEqual([
      ['2020-09-10T18:00:00.000Z', 'closed', '0.7496', '0.2504', null],
      ['2020-09-10T22:00:00.000Z', 'settled', '0.7496', '0.2504', '1.0000'],
    ]);
    expect(final[0]!.content).toMatchObject({ market_id: 'closing-line:nfl-2020-09-10-HOU-at-KC', platform_id: 'closing-line' });
    expect(closingLineVersions({ ...line, homeResult: null })).toHaveLength(1);
    expect(closingLineVersions({ ...line, homeResult: 0.5 })[1]!.content.settlement_value).toBe('0.5000');
  });
});
