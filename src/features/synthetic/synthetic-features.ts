import { defineFeature, type FeatureDefinition } from '../feature-definition.js';
import type { FeatureValueInput } from '../ingest-sources.js';
import type { SyntheticLeague } from '../../entities/synthetic/league.js';

/** How long before kickoff the injury report is out: 2 days. */
export const INJURY_REPORT_LEAD_MS = 2 * 24 * 3_600_000;

/** The roster spot `qb_injured` follows. */
export const QUARTERBACK = 'QB';

/** `external_source` of every value a synthetic league ingests. */
export const SYNTHETIC_SOURCE = 'synthetic';

/** `qb_injured@1`: team feature, 1 when the team's quarterback is out for its game. */
export const QB_INJURED_FEATURE: FeatureDefinition = defineFeature({
  name: 'qb_injured',
  version: '1',
  entity_type: 'team',
  sport: 'nfl',
  category: 'injuries',
  data_type: 'boolean',
  unit: null,
  description:
    "1 when the team's starting quarterback is out for its game that week, 0 when he plays; " +
    'one value per team per game, from the injury report two days before kickoff',
  calculation_method: {
    method: 'injury_report',
    parameters: { position: QUARTERBACK, timestamp: 'kickoff - 48h', available_at: 'timestamp' },
  },
  owner: 'synthetic-league',
});

/** `market_price@1`: market feature, the YES price (implied P(home win)) at each quote. */
export const MARKET_PRICE_FEATURE: FeatureDefinition = defineFeature({
  name: 'market_price',
  version: '1',
  entity_type: 'market',
  sport: 'nfl',
  category: 'market',
  data_type: 'probability',
  unit: 'probability',
  description: "the market's YES price — the implied probability that the home team wins — at each quote before kickoff",
  calculation_method: {
    method: 'market_quote',
    parameters: { field: 'yes_price', timestamp: 'quote time', available_at: 'timestamp' },
  },
  owner: 'synthetic-league',
});

/** The feature definitions a synthetic league registers. */
export const SYNTHETIC_FEATURES: readonly FeatureDefinition[] = [QB_INJURED_FEATURE, MARKET_PRICE_FEATURE];

const ref = (def: FeatureDefinition) => `${def.name}@${def.version}`;

/**
 * A league's feature values, as a historical backfill (available_at = timestamp):
 * - `qb_injured@1` for both teams of every game, at kickoff − 2 days (only when the options
 *   have a 'QB' roster spot);
 * - `market_price@1` for every market snapshot, at the quote's time.
 */
export function* syntheticFeatureValues(league: SyntheticLeague): Generator<FeatureValueInput> {
  const quarterbacks = new Set(league.players.filter((p) => p.position === QUARTERBACK).map((p) => p.externalId));
  if (quarterbacks.size > 0) {
    for (const game of league.games) {
      const at = new Date(game.kickoff.getTime() - INJURY_REPORT_LEAD_MS);
      for (const [team, out] of [[game.home, game.homeOut], [game.away, game.awayOut]] as const) {
        yield {
          feature: ref(QB_INJURED_FEATURE),
          entity: team,
          timestamp: at,
          available_at: at,
          value: out.some((id) => quarterbacks.has(id)) ? 1 : 0,
          external_source: SYNTHETIC_SOURCE,
        };
      }
    }
  }
  for (const market of league.markets) {
    for (const snapshot of market.snapshots) {
      yield {
        feature: ref(MARKET_PRICE_FEATURE),
        entity: market.marketId,
        timestamp: snapshot.at,
        available_at: snapshot.at,
        value: snapshot.yesPrice,
        external_source: SYNTHETIC_SOURCE,
      };
    }
  }
}
