import { addDays } from '../nfl/calendar-date.js';
import type { SeededRandom } from './seeded-random.js';

/** One game of a week, by 0-based team index. */
export interface Pairing {
  readonly home: number;
  readonly away: number;
}

/**
 * The date (`YYYY-MM-DD`) of week 1's Sunday: the Sunday after Labor Day (the first Monday
 * of September), as in the NFL.
 */
export function openingSunday(season: number): string {
  const september1 = new Date(Date.UTC(season, 8, 1)).getUTCDay(); // 0 = Sunday
  const laborDay = 1 + ((8 - september1) % 7);
  return addDays(`${String(season).padStart(4, '0')}-09-${String(laborDay).padStart(2, '0')}`, 6);
}

/** The Sunday of `week` (1-based) of `season`. */
export function weekSunday(season: number, week: number): string {
  return addDays(openingSunday(season), 7 * (week - 1));
}

/**
 * One week's games: the teams in random order, paired off two by two (with an odd count the
 * last one rests), so no team plays twice in a week and no team plays itself. The home team
 * is the one with fewer home games so far this season (`homeGames`, updated), a coin flip
 * when equal — home and away games stay balanced within a season.
 */
export function pairWeek(random: SeededRandom, teamCount: number, homeGames: number[]): Pairing[] {
  const order = random.shuffle(Array.from({ length: teamCount }, (_, i) => i));
  const games: Pairing[] = [];
  for (let i = 0; i + 1 < order.length; i += 2) {
    const a = order[i]!;
    const b = order[i + 1]!;
    const aHosts = homeGames[a]! < homeGames[b]! || (homeGames[a] === homeGames[b] && random.bernoulli(0.5));
    const game = aHosts ? { home: a, away: b } : { home: b, away: a };
    homeGames[game.home] = homeGames[game.home]! + 1;
    games.push(game);
  }
  return games.sort((x, y) => x.home - y.home);
}
