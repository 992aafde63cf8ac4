import { addDays } from './calendar-date.js';

/** What matching needs of a spreadspoke game (a `SpreadspokeGame` has it). */
export interface SpreadspokeMatchKey {
  readonly date: string;
  readonly home: string;
  readonly away: string;
  readonly neutral: boolean;
}

/** What matching needs of a 538 game (a `FiveThirtyEightGame` has it). */
export interface FiveThirtyEightMatchKey {
  readonly date: string;
  readonly team1: string;
  readonly team2: string;
  readonly neutral: boolean;
}

/** One game found in both files. `swapped`: spreadspoke's home team is 538's team2. */
export interface GameMatch<S, F> {
  readonly spreadspoke: S;
  readonly fiveThirtyEight: F;
  readonly swapped: boolean;
  /** 538 date minus spreadspoke date, in days. */
  readonly dayOffset: -1 | 0 | 1;
}

/** Matched pairs (in spreadspoke order) and the games of each file left unmatched (in file order). */
export interface GameMatchResult<S, F> {
  readonly matched: readonly GameMatch<S, F>[];
  readonly unmatchedSpreadspoke: readonly S[];
  readonly unmatchedFiveThirtyEight: readonly F[];
}

// Exact dates first, so a ±1-day candidate never takes a game that has an exact match.
const OFFSET_PASSES: ReadonlyArray<ReadonlyArray<-1 | 0 | 1>> = [[0], [-1, 1]];

/**
 * Pairs spreadspoke games with 538 games. Two games are the same when they involve the same
 * two franchises, their dates differ by at most one day, and home/away agree — or are
 * swapped, which is allowed only at a neutral site (538 `neutral` or spreadspoke
 * `stadium_neutral`). Each game is used at most once. Same-date candidates are tried before
 * ±1-day ones, and a same-orientation candidate before a swapped one.
 *
 * 538 games are indexed by date, so the cost is linear in the number of games.
 */
export function matchGames<S extends SpreadspokeMatchKey, F extends FiveThirtyEightMatchKey>(
  spreadspoke: readonly S[],
  fiveThirtyEight: readonly F[],
): GameMatchResult<S, F> {
  const byDate = new Map<string, number[]>();
  fiveThirtyEight.forEach((game, i) => {
    const list = byDate.get(game.date);
    if (list === undefined) byDate.set(game.date, [i]);
    else list.push(i);
  });
  const used = new Uint8Array(fiveThirtyEight.length);
  const found = new Array<GameMatch<S, F> | undefined>(spreadspoke.length);

  for (const offsets of OFFSET_PASSES) {
    spreadspoke.forEach((game, s) => {
      if (found[s] !== undefined) return;
      let swappedCandidate: { index: number; offset: -1 | 0 | 1 } | undefined;
      for (const offset of offsets) {
        for (const f of byDate.get(addDays(game.date, offset)) ?? []) {
          const other = fiveThirtyEight[f];
          if (used[f] === 1 || other === undefined) continue;
          if (other.team1 === game.home && other.team2 === game.away) {
            used[f] = 1;
            found[s] = { spreadspoke: game, fiveThirtyEight: other, swapped: false, dayOffset: offset };
            return;
          }
          if (
            swappedCandidate === undefined &&
            other.team1 === game.away &&
            other.team2 === game.home &&
            (other.neutral || game.neutral)
          ) {
            swappedCandidate = { index: f, offset };
          }
        }
      }
      if (swappedCandidate !== undefined) {
        const other = fiveThirtyEight[swappedCandidate.index];
        if (other === undefined) return;
        used[swappedCandidate.index] = 1;
        found[s] = { spreadspoke: game, fiveThirtyEight: other, swapped: true, dayOffset: swappedCandidate.offset };
      }
    });
  }

  const matched: GameMatch<S, F>[] = [];
  const unmatchedSpreadspoke: S[] = [];
  spreadspoke.forEach((game, s) => {
    const match = found[s];
    if (match === undefined) unmatchedSpreadspoke.push(game);
    else matched.push(match);
  });
  return {
    matched,
    unmatchedSpreadspoke,
    unmatchedFiveThirtyEight: fiveThirtyEight.filter((_, f) => used[f] === 0),
  };
}
