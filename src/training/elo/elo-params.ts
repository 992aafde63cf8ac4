import { z } from 'zod';
import type { core } from 'zod';

import { InvalidEloParamsError, type EloParamsIssue } from './errors.js';

/** A fixed-reversion key: a team code followed by the four-digit season, e.g. `CLE1999`. */
const FIXED_REVERSION_KEY = /^.+\d{4}$/;

/** Validated, frozen parameters of the Elo engine. */
export interface EloParams {
  /** Update speed: the largest shift a game can cause, before the MOV multiplier. */
  readonly k: number;
  /** Elo points added to the home team's rating difference unless the site is neutral. */
  readonly homeAdvantage: number;
  /** The rating every team is pulled towards between seasons (538: 1505). */
  readonly revertTo: number;
  /** How far towards `revertTo` a rating moves between seasons: 0 = none, 1 = all the way. */
  readonly revertFraction: number;
  /** Whether 538's margin-of-victory multiplier scales each shift (off: multiplier 1). */
  readonly marginOfVictory: boolean;
  /** `CODE<season>` → rating that replaces the reversion of that team in that season. */
  readonly fixedReversions: Readonly<Record<string, number>>;
  /** Team key → rating before its first game. */
  readonly initialRatings: Readonly<Record<string, number>>;
  /** Rating before the first game of a team missing from `initialRatings`. */
  readonly defaultInitialRating: number;
}

/** The zod schema of {@link EloParams}; unknown keys are rejected so typos cannot pass. */
export const eloParamsSchema = z.strictObject({
  k: z.number().positive(),
  homeAdvantage: z.number(),
  revertTo: z.number(),
  revertFraction: z.number().min(0).max(1),
  marginOfVictory: z.boolean(),
  fixedReversions: z.record(
    z.string().regex(FIXED_REVERSION_KEY, { error: 'must be a team code followed by a 4-digit season' }),
    z.number(),
  ),
  initialRatings: z.record(z.string().min(1), z.number()),
  defaultInitialRating: z.number(),
});

/**
 * Validates `input` as Elo parameters and returns a frozen copy (records included).
 * Numbers must be finite; `k` > 0; `revertFraction` in [0, 1]; fixed-reversion keys are a
 * team code followed by a 4-digit season. Throws {@link InvalidEloParamsError} naming the
 * first bad field and listing all of them.
 */
export function parseEloParams(input: unknown): EloParams {
  const parsed = eloParamsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap(describeIssue);
    const [first, ...rest] = issues;
    // zod always reports at least one issue on failure; the fallback only satisfies the types.
    throw new InvalidEloParamsError([first ?? { field: '(root)', reason: 'invalid' }, ...rest]);
  }
  const p = parsed.data;
  return Object.freeze({
    ...p,
    fixedReversions: Object.freeze({ ...p.fixedReversions }),
    initialRatings: Object.freeze({ ...p.initialRatings }),
  });
}

/** The key of a fixed reversion: team code followed by season (`CLE` + 1999 → `CLE1999`). */
export function fixedReversionKey(team: string, season: number): string {
  return `${team}${season}`;
}

function describeIssue(issue: core.$ZodIssue): EloParamsIssue[] {
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: [...at, key].join('.'), reason: 'unknown parameter' }));
  }
  const field = at.length === 0 ? '(root)' : at.join('.');
  // A bad record key carries its real reason (our regex message) one level down.
  const reason = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return [{ field, reason }];
}
