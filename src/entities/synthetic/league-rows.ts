import type { NewEvent } from '../../db/tables/events.table.js';
import type { MarketColumns } from '../../db/tables/markets.table.js';
import type { SyntheticGame, SyntheticLeague } from './league.js';
import type { SyntheticMarket } from './league-markets.js';
import type { SyntheticTeam } from './league-teams.js';

/** The platform synthetic games and markets are listed on (seeded by migration 0001). */
export const SYNTHETIC_PLATFORM = 'kalshi';
/** The sport synthetic teams and games are filed under. */
export const SYNTHETIC_SPORT = 'nfl';

/** A price on the cent grid as DECIMAL(10,4) text: 0.63 → '0.6300'. */
export function priceText(price: number): string {
  return (Math.round(price * 100) / 100).toFixed(4);
}

/** 1 − price on the cent grid, as text ('0.6300' → '0.3700'). */
function complementText(price: number): string {
  return ((100 - Math.round(price * 100)) / 100).toFixed(4);
}

/** The home result: 1 win, 0 loss, 0.5 tie. */
export function homeResult(game: Pick<SyntheticGame, 'homeScore' | 'awayScore'>): 1 | 0 | 0.5 {
  return game.homeScore > game.awayScore ? 1 : game.homeScore < game.awayScore ? 0 : 0.5;
}

/**
 * The `events` row of a game: on the kalshi platform, external_id = event_id, status
 * `final`, start_time = kickoff, end_time = the market's settlement, result
 * `{"home_win": 1|0|0.5, "margin": home − away}`. The latent truth stays out of the
 * database: only what a real feed would know is written.
 */
export function syntheticEventRow(
  league: Pick<SyntheticLeague, 'options'>,
  game: SyntheticGame,
  market: SyntheticMarket,
  teams: ReadonlyMap<string, SyntheticTeam & { readonly teamId: number }>,
): NewEvent & { event_id: string; start_time: Date; home_team_id: number; away_team_id: number } {
  const home = teams.get(game.home)!;
  const away = teams.get(game.away)!;
  return {
    event_id: game.eventId,
    platform_id: SYNTHETIC_PLATFORM,
    external_id: game.eventId,
    category: 'sports',
    subcategory: SYNTHETIC_SPORT,
    title: `${away.name} at ${home.name} (${game.date})`,
    start_time: game.kickoff,
    end_time: market.settlement.at,
    status: 'final',
    home_team_id: home.teamId,
    away_team_id: away.teamId,
    sport: SYNTHETIC_SPORT,
    season: game.season,
    week: String(game.week),
    is_playoff: false,
    is_neutral_site: false,
    home_score: game.homeScore,
    away_score: game.awayScore,
    result: { home_win: homeResult(game), margin: game.homeScore - game.awayScore },
    metadata: { source: 'synthetic-league', seed: league.options.seed },
  };
}

/** One version of a market, with the interval it was current. */
export interface MarketVersionRow {
  readonly content: Pick<
    MarketColumns,
    | 'market_id' | 'platform_id' | 'event_id' | 'external_id' | 'ticker' | 'title' | 'market_type'
    | 'yes_price' | 'no_price' | 'status' | 'settlement_value'
  >;
  readonly rowStart: Date;
  /** Null for the last (current) version. */
  readonly rowEnd: Date | null;
}

/**
 * A market's SCD2 history: one `open` version per snapshot (YES price, NO = 1 − YES), each
 * current until the next; then the `settled` version (the last quote kept, settlement_value
 * the home result), current from the settlement on. market_id = ticker = external_id =
 * `KX-<event_id>`.
 */
export function syntheticMarketVersions(market: SyntheticMarket, title: string): MarketVersionRow[] {
  const base = {
    market_id: market.marketId,
    platform_id: SYNTHETIC_PLATFORM,
    event_id: market.eventId,
    external_id: market.marketId,
    ticker: market.marketId,
    title,
    market_type: 'binary' as const,
  };
  const last = market.snapshots[market.snapshots.length - 1]!;
  const contents = [
    ...market.snapshots.map((s) => ({
      at: s.at,
      content: { ...base, yes_price: priceText(s.yesPrice), no_price: complementText(s.yesPrice), status: 'open' as const, settlement_value: null },
    })),
    {
      at: market.settlement.at,
      content: {
        ...base,
        yes_price: priceText(last.yesPrice),
        no_price: complementText(last.yesPrice),
        status: 'settled' as const,
        settlement_value: market.settlement.value.toFixed(4),
      },
    },
  ];
  return contents.map((v, i) => ({ content: v.content, rowStart: v.at, rowEnd: contents[i + 1]?.at ?? null }));
}

/** The title of a game's market: `Will the <home> beat the <away>? (<date>)`. */
export function syntheticMarketTitle(game: SyntheticGame, teams: ReadonlyMap<string, SyntheticTeam>): string {
  return `Will the ${teams.get(game.home)!.name} beat the ${teams.get(game.away)!.name}? (${game.date})`;
}
