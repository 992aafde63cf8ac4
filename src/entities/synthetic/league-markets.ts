import type { LeagueOptions } from './league-options.js';
import type { SeededRandom } from './seeded-random.js';

const MINUTE_MS = 60_000;

/** Lowest and highest quoted YES price, in cents. */
export const MIN_PRICE_CENTS = 1;
export const MAX_PRICE_CENTS = 99;

/** One quote of a market: the YES price (probability the home team wins) at an instant. */
export interface MarketSnapshot {
  readonly at: Date;
  readonly minutesBeforeKickoff: number;
  /** On the cent grid, in [0.01, 0.99]. */
  readonly yesPrice: number;
}

/** The settlement of a binary market: 1 home win, 0 home loss, 0.5 tie. */
export interface MarketSettlement {
  readonly at: Date;
  readonly value: 1 | 0 | 0.5;
}

/** A Kalshi-style binary market on "the home team wins" one game. */
export interface SyntheticMarket {
  /** `KX-<event_id>`; also its ticker. */
  readonly marketId: string;
  readonly eventId: string;
  /** The latent fair price: P(home win) + P(tie) / 2, the expected settlement value. */
  readonly fairPrice: number;
  /** Oldest first. */
  readonly snapshots: readonly MarketSnapshot[];
  readonly settlement: MarketSettlement;
}

/** `KX-<event_id>`. */
export function syntheticMarketId(eventId: string): string {
  return `KX-${eventId}`;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The logit-scale standard deviation of the price error `minutes` before kickoff:
 * `noiseAtClose + (noiseAtOpen − noiseAtClose) · √(minutes / first snapshot's minutes)` —
 * most of what the market learns, it learns in the last day.
 */
export function priceNoiseSd(market: LeagueOptions['market'], minutes: number): number {
  const first = market.snapshotMinutesBeforeKickoff[0]!;
  const share = first === 0 ? 0 : Math.sqrt(minutes / first);
  return market.noiseAtClose + (market.noiseAtOpen - market.noiseAtClose) * share;
}

/** A probability as a price in cents, clamped to [1, 99]. */
function toCents(p: number): number {
  return Math.min(MAX_PRICE_CENTS, Math.max(MIN_PRICE_CENTS, Math.round(p * 100)));
}

/**
 * A game's market: at each snapshot, price = sigmoid(logit(fair) + error), rounded to a cent
 * and clamped to [0.01, 0.99]. The error is an AR(1) path with correlation
 * `noiseCorrelation` between consecutive snapshots and standard deviation
 * {@link priceNoiseSd} at each — so prices wander, then settle towards the truth.
 */
export function simulateMarket(
  random: SeededRandom,
  market: LeagueOptions['market'],
  game: { readonly eventId: string; readonly kickoff: Date; readonly fairPrice: number; readonly settlement: 1 | 0 | 0.5 },
): SyntheticMarket {
  // The fair price itself can be 0 or 1 only in degenerate options; keep the logit finite.
  const center = logit(Math.min(1 - 1e-9, Math.max(1e-9, game.fairPrice)));
  const rho = market.noiseCorrelation;
  let error = 0;
  let previousSd = 0;
  const snapshots = market.snapshotMinutesBeforeKickoff.map((minutes, i) => {
    const sd = priceNoiseSd(market, minutes);
    const z = random.normal();
    error = i === 0 || previousSd === 0 ? sd * z : rho * (sd / previousSd) * error + sd * Math.sqrt(1 - rho * rho) * z;
    previousSd = sd;
    return {
      at: new Date(game.kickoff.getTime() - minutes * MINUTE_MS),
      minutesBeforeKickoff: minutes,
      yesPrice: toCents(sigmoid(center + error)) / 100,
    };
  });
  return {
    marketId: syntheticMarketId(game.eventId),
    eventId: game.eventId,
    fairPrice: game.fairPrice,
    snapshots,
    settlement: { at: new Date(game.kickoff.getTime() + market.settleAfterMinutes * MINUTE_MS), value: game.settlement },
  };
}
