import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  parseFiveThirtyEightCsvFile,
  type FiveThirtyEightGame,
} from '../../../src/entities/nfl/fivethirtyeight-csv.js';
import { matchGames } from '../../../src/entities/nfl/game-matching.js';
import { loadNflTeams, resolveTeam } from '../../../src/entities/nfl/nfl-teams.js';
import { parseSpreadspokeCsvFile, type SpreadspokeGame } from '../../../src/entities/nfl/spreadspoke-csv.js';
import { parseSpreadspokeTeamsCsvFile } from '../../../src/entities/nfl/spreadspoke-teams-csv.js';

const DATA_DIR = path.resolve(import.meta.dirname, '../../../../shared/data/nfl');
const FILES = ['nfl_games.csv', 'initial_elos.csv', 'spreadspoke_scores.csv', 'spreadspoke_teams.csv'] as const;
const present = FILES.every((f) => fs.existsSync(path.join(DATA_DIR, f)));
if (!present) console.warn(`skipping real NFL data tests: ${DATA_DIR} does not hold ${FILES.join(', ')}`);

const file = (name: (typeof FILES)[number]) => path.join(DATA_DIR, name);

function rawColumn(name: (typeof FILES)[number], ...columns: string[]): string[] {
  const rows = parse(fs.readFileSync(file(name), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  return rows.flatMap((r) => columns.map((c) => r[c] ?? ''));
}

describe.skipIf(!present)('real NFL data', () => {
  let fte: readonly FiveThirtyEightGame[] = [];
  let spreadspoke: readonly SpreadspokeGame[] = [];

  beforeAll(async () => {
    [fte, spreadspoke] = await Promise.all([
      parseFiveThirtyEightCsvFile(file('nfl_games.csv')),
      parseSpreadspokeCsvFile(file('spreadspoke_scores.csv')),
    ]);
  });

  it('parses every game of both files (16,810 and 12,947)', () => {
    expect(fte).toHaveLength(16_810);
    expect(spreadspoke).toHaveLength(12_947);
  });

  it('resolves every team code, name and id of both files', () => {
    const aliases = new Set([
      ...rawColumn('nfl_games.csv', 'team1', 'team2'),
      ...rawColumn('initial_elos.csv', 'team'),
      ...rawColumn('spreadspoke_scores.csv', 'team_home', 'team_away', 'team_favorite_id'),
      ...rawColumn('spreadspoke_teams.csv', 'team_name', 'team_id', 'team_id_pfr'),
    ]);
    aliases.delete('PICK');
    aliases.delete('');
    expect([...aliases].filter((a) => resolveTeam(a) === undefined)).toEqual([]);
  });

  it('agrees with spreadspoke_teams.csv on every name and id', async () => {
    const teams = await parseSpreadspokeTeamsCsvFile(file('spreadspoke_teams.csv'));
    expect(teams).toHaveLength(41);
  });

  it("treats 538's codes as franchise codes: one table row per code, seasons inside its span", () => {
    const registry = loadNflTeams();
    const codes = new Set(rawColumn('nfl_games.csv', 'team1', 'team2'));
    for (const code of codes) expect(registry.resolve(code)).toBe(code);
    expect(new Set(registry.franchises.map((f) => f.code))).toEqual(codes);
    const span = new Map<string, [number, number]>();
    for (const g of fte) {
      for (const team of [g.team1, g.team2]) {
        const [first, last] = span.get(team) ?? [g.season, g.season];
        span.set(team, [Math.min(first, g.season), Math.max(last, g.season)]);
      }
    }
    for (const f of registry.franchises) {
      expect([f.code, f.firstSeason, f.lastSeason ?? 2020]).toEqual([f.code, ...(span.get(f.code) ?? [])]);
    }
  });

  it('handles the README quirks', () => {
    const wft = spreadspoke.filter((g) => g.homeName === 'Washington Football Team' || g.awayName === 'Washington Football Team');
    expect(wft.length).toBeGreaterThan(0);
    expect(wft.every((g) => g.home === 'WSH' || g.away === 'WSH')).toBe(true);

    const vegas = spreadspoke.filter((g) => g.homeName === 'Las Vegas Raiders' || g.awayName === 'Las Vegas Raiders');
    expect(vegas.length).toBeGreaterThan(0);
    expect(vegas.every((g) => g.home === 'OAK' || g.away === 'OAK')).toBe(true);

    const lvr = spreadspoke.filter((g) => g.favoriteId === 'LVR');
    expect(lvr.length).toBeGreaterThan(0);
    expect(lvr.every((g) => g.favorite === 'OAK' && (g.home === 'OAK' || g.away === 'OAK'))).toBe(true);

    const pick = spreadspoke.filter((g) => g.favoriteId === 'PICK');
    expect(pick.length).toBeGreaterThan(0);
    expect(pick.every((g) => g.favorite === null && g.spreadLineHome === 0 && g.homeWinProbability === 0.5)).toBe(true);

    const noLine = spreadspoke.filter((g) => g.favoriteId === null);
    expect(noLine.length).toBeGreaterThan(0);
    expect(noLine.every((g) => g.spreadLineHome === null && g.homeWinProbability === null)).toBe(true);

    // spreadspoke says WAS, 538 says WSH: both are the same franchise.
    expect(spreadspoke.some((g) => g.favoriteId === 'WAS' && g.favorite === 'WSH')).toBe(true);
    expect(fte.some((g) => g.team1 === 'WSH')).toBe(true);
  });

  it('matches at least 99% of the 1979–2020 spreadspoke games with a line to a 538 game', () => {
    const lined = spreadspoke.filter((g) => g.season >= 1979 && g.season <= 2020 && g.spreadLineHome !== null);
    const result = matchGames(lined, fte);
    const rate = result.matched.length / lined.length;
    const misses = result.unmatchedSpreadspoke.map((g) => `${g.date} ${g.away}@${g.home} (line ${g.line})`);
    console.log(
      `spreadspoke↔538 match rate 1979–2020 with a line: ${result.matched.length}/${lined.length} = ` +
        `${(100 * rate).toFixed(2)}%; swapped ${result.matched.filter((m) => m.swapped).length}, ` +
        `off by a day ${result.matched.filter((m) => m.dayOffset !== 0).length}; misses: ${misses.length === 0 ? 'none' : misses.join(', ')}`,
    );
    expect(rate).toBeGreaterThanOrEqual(0.99);
    for (const m of result.matched) {
      const [home, away] = m.swapped
        ? [m.fiveThirtyEight.score2, m.fiveThirtyEight.score1]
        : [m.fiveThirtyEight.score1, m.fiveThirtyEight.score2];
      // One known scoring disagreement: SEA–IND 2017-10-01 is 46–17 in spreadspoke, 46–18 in 538.
      if (!(m.spreadspoke.date === '2017-10-01' && m.spreadspoke.home === 'SEA')) {
        expect([m.spreadspoke.date, m.spreadspoke.scoreHome, m.spreadspoke.scoreAway]).toEqual([m.spreadspoke.date, home, away]);
      }
    }
  });

  it('every spreadspoke game of 1966–2020 is in 538', () => {
    const result = matchGames(spreadspoke, fte);
    console.log(`spreadspoke↔538 all seasons: ${result.matched.length}/${spreadspoke.length} matched`);
    expect(result.unmatchedSpreadspoke).toEqual([]);
  });

  it('the spread-implied probability (σ = 13.45) beats 538 Elo on 2000–2020 decided games', () => {
    const { matched } = matchGames(
      spreadspoke.filter((g) => g.season >= 2000 && g.homeWinProbability !== null && g.scoreHome !== g.scoreAway),
      fte,
    );
    let spreadBrier = 0;
    let eloBrier = 0;
    for (const { spreadspoke: s, fiveThirtyEight: f, swapped } of matched) {
      const homeWon = (s.scoreHome ?? 0) > (s.scoreAway ?? 0) ? 1 : 0;
      spreadBrier += ((s.homeWinProbability ?? 0) - homeWon) ** 2;
      eloBrier += ((swapped ? 1 - f.eloProb1 : f.eloProb1) - homeWon) ** 2;
    }
    spreadBrier /= matched.length;
    eloBrier /= matched.length;
    console.log(`2000–2020, ${matched.length} decided games with a line: spread Brier ${spreadBrier.toFixed(4)}, 538 Elo ${eloBrier.toFixed(4)}`);
    expect(spreadBrier).toBeGreaterThan(0.212);
    expect(spreadBrier).toBeLessThan(0.214);
    expect(spreadBrier).toBeLessThan(eloBrier);
  });
});
