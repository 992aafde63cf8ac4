import { z } from 'zod';
import { InvalidLeagueOptionsError } from './errors.js';

/** How latent team strengths (in points of margin) evolve. */
const StrengthSchema = z
  .object({
    /** Standard deviation of the first season's strengths. */
    initialSd: z.number().min(0).max(30).default(6),
    /** Standard deviation of the weekly random-walk step. */
    weeklyDrift: z.number().min(0).max(10).default(0.5),
    /** Share of last season's strength a team keeps (the rest regresses to the mean). */
    seasonCarryover: z.number().min(0).max(1).default(0.67),
    /** Standard deviation of the off-season change added after regression. */
    seasonNoise: z.number().min(0).max(30).default(4),
  })
  .strict();

/**
 * The score model: margin (home − away) ~ N(expected margin, marginSd²); |margin| below
 * `tieBand` is a tie (rare: ~0.5% of games at the defaults), otherwise its sign decides the
 * winner; the total is N(meanTotal, totalSd²), at least the margin.
 */
const ScoresSchema = z
  .object({
    marginSd: z.number().positive().max(40).default(13.5),
    meanTotal: z.number().min(0).max(200).default(44),
    totalSd: z.number().min(0).max(50).default(10),
    tieBand: z.number().min(0).max(5).default(0.15),
  })
  .strict();

/** One roster spot every team has: its player's value and how often he is out. */
const PlayerSpotSchema = z
  .object({
    /** Position code, e.g. 'QB'; the `qb_injured` feature follows the 'QB' spot. */
    position: z.string().regex(/^[A-Z0-9]{1,6}$/),
    /** Points the team's effective strength loses while the player is out. */
    impact: z.number().min(0).max(30),
    /** Weekly probability that a healthy player gets injured. */
    injuryRate: z.number().min(0).max(1),
    /** An injury keeps him out 1…maxWeeksOut weeks (uniform), never past the season's end. */
    maxWeeksOut: z.number().int().min(1).max(20),
  })
  .strict();

const DEFAULT_PLAYERS = [
  { position: 'QB', impact: 6, injuryRate: 0.03, maxWeeksOut: 6 },
  { position: 'RB', impact: 1, injuryRate: 0.05, maxWeeksOut: 4 },
  { position: 'WR', impact: 1, injuryRate: 0.05, maxWeeksOut: 4 },
];

/**
 * The Kalshi-style market on "the home team wins": snapshots at the given minutes before
 * kickoff (strictly decreasing), each price = the fair value (expected settlement) plus an
 * error on the logit scale whose standard deviation shrinks from `noiseAtOpen` at the
 * first snapshot to `noiseAtClose` at kickoff (∝ √time-to-kickoff), correlated from one
 * snapshot to the next; then a settled version `settleAfterMinutes` after kickoff.
 */
const MarketSchema = z
  .object({
    snapshotMinutesBeforeKickoff: z
      .array(z.number().int().min(0).max(60 * 24 * 30))
      .min(1)
      .max(50)
      .refine((m) => m.every((v, i) => i === 0 || v < m[i - 1]!), 'must be strictly decreasing')
      .default(() => [72 * 60, 24 * 60, 6 * 60, 60, 5]),
    noiseAtOpen: z.number().min(0).max(5).default(0.35),
    noiseAtClose: z.number().min(0).max(5).default(0.08),
    noiseCorrelation: z.number().min(0).max(0.999).default(0.6),
    settleAfterMinutes: z.number().int().min(1).max(60 * 24 * 7).default(4 * 60),
  })
  .strict();

/** Options of {@link generateLeague}; every field but `seed` has a default. */
export const LeagueOptionsSchema = z
  .object({
    seed: z.number().int().min(0).max(0xffff_ffff),
    teams: z.number().int().min(2).max(64).default(32),
    seasons: z.number().int().min(1).max(50).default(10),
    firstSeason: z.number().int().min(1920).max(2100).default(2015),
    /** Weeks per season; every team plays once a week (with an odd count, one team rests). */
    gamesPerTeam: z.number().int().min(1).max(20).default(16),
    /** Home-field advantage in points of expected margin. */
    homeAdvantage: z.number().min(-14).max(14).default(2.5),
    strength: StrengthSchema.prefault({}),
    scores: ScoresSchema.prefault({}),
    players: z
      .array(PlayerSpotSchema)
      .max(10)
      .refine((p) => new Set(p.map((s) => s.position)).size === p.length, 'positions must be unique')
      .default(() => DEFAULT_PLAYERS.map((p) => ({ ...p }))),
    market: MarketSchema.prefault({}),
  })
  .strict()
  .refine((o) => o.firstSeason + o.seasons - 1 <= 2100, { message: 'the last season must be 2100 or earlier', path: ['seasons'] });

export type LeagueOptionsInput = z.input<typeof LeagueOptionsSchema>;
export type LeagueOptions = Readonly<z.output<typeof LeagueOptionsSchema>>;
export type PlayerSpot = z.output<typeof PlayerSpotSchema>;

/** Validates options and fills defaults; throws {@link InvalidLeagueOptionsError} listing every problem. */
export function parseLeagueOptions(input: unknown): LeagueOptions {
  const parsed = LeagueOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidLeagueOptionsError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return parsed.data;
}
