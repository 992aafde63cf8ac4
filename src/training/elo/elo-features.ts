import crypto from 'node:crypto';
import { postGameStamp, preGameStamp, seasonStartStamp, STAMP_RULES } from '../../entities/nfl/nfl-timeline.js';
import { canonicalJson, defineFeature, type FeatureDefinition } from '../../features/feature-definition.js';
import { formatFeatureRef } from '../../features/feature-ref.js';
import type { FeatureValueInput } from '../../features/ingest-sources.js';
import type { EloGame, EloGameRating } from './elo-engine.js';
import type { EloParamOverrides, EloPreset } from './elo-param-overrides.js';
import type { EloParams } from './elo-params.js';

/** `external_source` of the values an Elo run computes. */
export const ELO_SOURCE = 'computed';

/** The names of the two features an Elo run writes (one version per parameter set). */
export const ELO_RATING_FEATURE = 'elo_rating';
export const ELO_PROB_FEATURE = 'elo_prob_home';

/**
 * The feature version of a parameter set: the preset's name (`538`) when it runs unmodified
 * (no overrides), otherwise `p` + the first 10 hex digits of the sha256 of the canonical
 * (sorted-key) JSON of `{preset, params}` — so every distinct parameter set gets its own
 * version, and the same set always the same one.
 */
export function eloFeatureVersion(preset: EloPreset, params: EloParams, overrides: EloParamOverrides): string {
  if (Object.keys(overrides).length === 0) return preset;
  const digest = crypto.createHash('sha256').update(canonicalJson({ preset, params })).digest('hex');
  return `p${digest.slice(0, 10)}`;
}

function calculationMethod(preset: EloPreset, params: EloParams, stamps: Record<string, string>) {
  return { method: 'elo', parameters: { preset, ...params }, timestamps: stamps };
}

/** The two definitions of one Elo parameter set: `elo_rating@<v>` (team) and `elo_prob_home@<v>` (event). */
export function eloFeatureDefinitions(
  preset: EloPreset,
  params: EloParams,
  version: string,
): { rating: FeatureDefinition; probability: FeatureDefinition } {
  const label = version === preset ? `preset ${preset}` : `preset ${preset} with modified parameters`;
  return {
    rating: defineFeature({
      name: ELO_RATING_FEATURE,
      version,
      entity_type: 'team',
      sport: 'nfl',
      category: 'strength',
      unit: 'elo',
      description: `Elo rating of the team (${label}): initial rating, after each game, and after each between-season reversion`,
      calculation_method: calculationMethod(preset, params, {
        initial: STAMP_RULES.seasonStart,
        reversion: STAMP_RULES.seasonStart,
        afterGame: STAMP_RULES.postGame,
      }),
    }),
    probability: defineFeature({
      name: ELO_PROB_FEATURE,
      version,
      entity_type: 'event',
      sport: 'nfl',
      category: 'prediction',
      data_type: 'probability',
      description: `Pre-game Elo probability that the home team wins (${label}; 538's team1 at neutral sites)`,
      calculation_method: calculationMethod(preset, params, { preGame: STAMP_RULES.preGame }),
    }),
  };
}

/** What the Elo feature values of a game need beyond the engine's input. */
export interface StampedEloGame extends EloGame {
  readonly eventId: string;
  readonly kickoff: Date;
}

/**
 * The feature values of a run, each stamped so that nothing leaks into its own game
 * (see nfl-timeline.ts), with `available_at` = the stamp:
 * - `elo_rating`: a team's initial rating at its first season's start, each reverted
 *   rating at the start of the season it enters, and its rating after each played game at
 *   kickoff + 4 h;
 * - `elo_prob_home`: each game's pre-game probability at kickoff − 2 h (unplayed games too).
 * Retrieved at a game's label time (kickoff − 1 h), `elo_rating` is the pre-game rating.
 */
export function eloFeatureValues(
  ratings: readonly EloGameRating<StampedEloGame>[],
  params: EloParams,
  refs: { rating: string; probability: string },
): FeatureValueInput[] {
  const values: FeatureValueInput[] = [];
  const seen = new Set<string>();
  const value = (feature: string, entity: string, at: Date, v: number, reference: string) =>
    values.push({ feature, entity, timestamp: at, available_at: at, value: v, external_source: ELO_SOURCE, external_reference_id: reference });
  for (const r of ratings) {
    const { game } = r;
    for (const team of [r.home, r.away]) {
      if (seen.has(team)) continue;
      seen.add(team);
      // A first game never reverts, so the pre-game rating is the initial one.
      value(refs.rating, team, seasonStartStamp(r.season), params.initialRatings[team] ?? params.defaultInitialRating, 'initial');
    }
    for (const rev of r.reversions) value(refs.rating, rev.team, seasonStartStamp(rev.season), rev.ratingAfter, `reversion:${rev.season}`);
    value(refs.probability, game.eventId, preGameStamp(game.kickoff), r.homeWinProbability, game.eventId);
    if (r.homeRatingAfter !== null && r.awayRatingAfter !== null) {
      value(refs.rating, r.home, postGameStamp(game.kickoff), r.homeRatingAfter, game.eventId);
      value(refs.rating, r.away, postGameStamp(game.kickoff), r.awayRatingAfter, game.eventId);
    }
  }
  return values;
}

/** `name@version` of the two definitions. */
export function eloFeatureRefs(defs: { rating: FeatureDefinition; probability: FeatureDefinition }) {
  return { rating: formatFeatureRef(defs.rating), probability: formatFeatureRef(defs.probability) };
}
