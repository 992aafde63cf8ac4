import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { DEFAULT_SPREAD_SIGMA } from '../../entities/nfl/spread-line.js';
import { STAMP_RULES } from '../../entities/nfl/nfl-timeline.js';
import { defineFeature, type FeatureDefinition } from '../feature-definition.js';
import { formatFeatureRef } from '../feature-ref.js';
import { registerFeature } from '../registry.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** `external_source` of the values each NFL importer writes. */
export const NFL_SOURCES = { fiveThirtyEight: 'fivethirtyeight', spreadspoke: 'spreadspoke' } as const;

/** 538's pre-game probability that the home team (538's team1 at neutral sites) wins. */
export const ELO538_PROB_HOME = defineFeature({
  name: 'elo538_prob_home',
  version: '1',
  entity_type: 'event',
  sport: 'nfl',
  category: 'baseline',
  data_type: 'probability',
  description:
    "FiveThirtyEight's pre-game Elo probability that the home team wins (538's team1 at neutral sites), from nfl_games.csv",
  calculation_method: {
    method: 'fivethirtyeight_published',
    parameters: { file: 'nfl_games.csv', column: 'elo_prob1', timestamp: STAMP_RULES.preGame },
  },
});

/** 538's pre-game rating of each team in each game (after any between-season reversion). */
export const ELO538_RATING = defineFeature({
  name: 'elo538_rating',
  version: '1',
  entity_type: 'team',
  sport: 'nfl',
  category: 'strength',
  unit: 'elo',
  description: "FiveThirtyEight's pre-game Elo rating of the team, from nfl_games.csv",
  calculation_method: {
    method: 'fivethirtyeight_published',
    parameters: { file: 'nfl_games.csv', columns: ['elo1', 'elo2'], timestamp: STAMP_RULES.preGame },
  },
});

/** The closing spread for the home team: negative when the home team is favoured. */
export const SPREAD_LINE_HOME = defineFeature({
  name: 'spread_line_home',
  version: '1',
  entity_type: 'event',
  sport: 'nfl',
  category: 'market',
  unit: 'points',
  description: "The home team's closing point spread (negative: home favoured; 0: pick'em), from spreadspoke",
  calculation_method: {
    method: 'spreadspoke_closing_line',
    parameters: { file: 'spreadspoke_scores.csv', columns: ['team_favorite_id', 'spread_favorite'], timestamp: STAMP_RULES.closingLine },
  },
});

/** The closing over/under line. */
export const TOTAL_LINE = defineFeature({
  name: 'total_line',
  version: '1',
  entity_type: 'event',
  sport: 'nfl',
  category: 'market',
  unit: 'points',
  description: 'The closing over/under line (total points), from spreadspoke',
  calculation_method: {
    method: 'spreadspoke_closing_line',
    parameters: { file: 'spreadspoke_scores.csv', column: 'over_under_line', timestamp: STAMP_RULES.closingLine },
  },
});

/** The home win probability the closing spread implies: Φ(−spread_line_home / σ). */
export const SPREAD_PROB_HOME = defineFeature({
  name: 'spread_prob_home',
  version: '1',
  entity_type: 'event',
  sport: 'nfl',
  category: 'market',
  data_type: 'probability',
  description: "The home win probability implied by the closing spread: Φ(−spread_line_home / σ)",
  calculation_method: {
    method: 'spread_implied_probability',
    parameters: { sigma: DEFAULT_SPREAD_SIGMA, input: 'spread_line_home@1', timestamp: STAMP_RULES.closingLine },
  },
});

/** The definitions the 538 importer writes values of. */
export const FIVETHIRTYEIGHT_FEATURES: readonly FeatureDefinition[] = [ELO538_PROB_HOME, ELO538_RATING];

/** The definitions the spreadspoke importer writes values of. */
export const SPREADSPOKE_FEATURES: readonly FeatureDefinition[] = [SPREAD_LINE_HOME, TOTAL_LINE, SPREAD_PROB_HOME];

/** `name@version` of a definition. */
export function refOf(def: FeatureDefinition): string {
  return formatFeatureRef(def);
}

/** Registers definitions (identical again: no-op); returns how many were new. */
export async function registerDefinitions(db: Executor, defs: readonly FeatureDefinition[]): Promise<number> {
  let created = 0;
  for (const def of defs) if ((await registerFeature(db, def)).created) created += 1;
  return created;
}
