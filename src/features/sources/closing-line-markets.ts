import { isDeepStrictEqual } from 'node:util';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { upsertVersion } from '../../db/scd2.js';
import type { JsonObject } from '../../db/tables/json.js';
import { closingLineStamp, postGameStamp } from '../../entities/nfl/nfl-timeline.js';

/** The platform closing lines are listed on (seeded by migration 0001). */
export const CLOSING_LINE_PLATFORM = 'closing-line';

/** One game's closing line, oriented to the event's home team. */
export interface ClosingLine {
  readonly eventId: string;
  readonly eventTitle: string;
  readonly kickoff: Date;
  /** Spread-implied home win probability, full precision. */
  readonly homeWinProbability: number;
  readonly spreadLineHome: number;
  readonly totalLine: number | null;
  readonly sigma: number;
  /** 1 / 0 / 0.5 once the game is final, else null. */
  readonly homeResult: 1 | 0 | 0.5 | null;
}

/** What a markets sync did, market by market. */
export interface MarketSyncCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** `closing-line:<event_id>`. */
export function closingLineMarketId(eventId: string): string {
  return `${CLOSING_LINE_PLATFORM}:${eventId}`;
}

/** A probability as DECIMAL(10,4) text, rounded to 4 places: 0.61234 → '0.6123'. */
export function priceText(probability: number): string {
  return (Math.round(probability * 10_000) / 10_000).toFixed(4);
}

/** 1 − price, exactly, on the 4-decimal grid ('0.6123' → '0.3877'). */
function complement(price: string): string {
  return ((10_000 - Math.round(Number(price) * 10_000)) / 10_000).toFixed(4);
}

type Content = {
  market_id: string;
  platform_id: string;
  event_id: string;
  external_id: string;
  ticker: null;
  title: string;
  market_type: 'binary';
  yes_price: string;
  no_price: string;
  spread: null;
  volume: null;
  open_interest: null;
  status: 'closed' | 'settled';
  settlement_value: string | null;
  metadata: JsonObject;
};

/**
 * The versions a closing line should have: at kickoff the line, as a closed binary market on
 * "the home team wins" (yes_price = the implied probability rounded to 4 places); for a
 * finished game, at kickoff + 4 h, the same market settled at the home result.
 */
export function closingLineVersions(line: ClosingLine): { content: Content; at: Date }[] {
  const yes = priceText(line.homeWinProbability);
  const marketId = closingLineMarketId(line.eventId);
  const atKickoff: Content = {
    market_id: marketId,
    platform_id: CLOSING_LINE_PLATFORM,
    event_id: line.eventId,
    external_id: line.eventId,
    ticker: null,
    title: `Closing line: ${line.eventTitle} (home win)`.slice(0, 255),
    market_type: 'binary',
    yes_price: yes,
    no_price: complement(yes),
    spread: null,
    volume: null,
    open_interest: null,
    status: 'closed',
    settlement_value: null,
    metadata: { spread_line_home: line.spreadLineHome, total_line: line.totalLine, sigma: line.sigma },
  };
  const versions = [{ content: atKickoff, at: closingLineStamp(line.kickoff) }];
  if (line.homeResult !== null) {
    versions.push({
      content: { ...atKickoff, status: 'settled', settlement_value: line.homeResult.toFixed(4) },
      at: postGameStamp(line.kickoff),
    });
  }
  return versions;
}

const COMPARED = ['event_id', 'title', 'yes_price', 'no_price', 'status', 'settlement_value', 'metadata'] as const;

function same(stored: Record<string, unknown>, wanted: Content): boolean {
  return COMPARED.every((c) => {
    const a = stored[c];
    const b = wanted[c];
    // DECIMAL columns come back as text with the column's scale ('0.6500').
    if (c === 'yes_price' || c === 'no_price' || c === 'settlement_value') {
      return (a === null ? null : Number(a)) === (b === null ? null : Number(b));
    }
    return isDeepStrictEqual(a ?? null, b ?? null);
  });
}

/**
 * Records each game's closing line as a market on the `closing-line` platform through the
 * SCD2 write path ({@link upsertVersion}), idempotently:
 * - a new market gets its versions at their own times (kickoff; settled at kickoff + 4 h);
 * - a market whose current version is already what it should end as is left alone;
 * - a market still at its kickoff version whose game has since finished gets the settled
 *   version at kickoff + 4 h;
 * - any other difference (a corrected line) is a new version now — history is never rewritten.
 */
export async function syncClosingLineMarkets(
  trx: Transaction<Database>,
  lines: readonly ClosingLine[],
): Promise<MarketSyncCounts> {
  const current = await trx
    .selectFrom('markets')
    .selectAll()
    .where('platform_id', '=', CLOSING_LINE_PLATFORM)
    .where('row_current_ind', '=', true)
    .execute();
  const byId = new Map(current.map((m) => [m.market_id, m as unknown as Record<string, unknown>]));
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  for (const line of lines) {
    const versions = closingLineVersions(line);
    const final = versions[versions.length - 1]!;
    const stored = byId.get(final.content.market_id);
    if (stored === undefined) {
      for (const v of versions) await upsertVersion(trx, 'markets', v.content, { at: v.at });
      inserted += 1;
    } else if (same(stored, final.content)) {
      unchanged += 1;
    } else {
      const startedAt = stored['row_start_ts'] as Date;
      const settles = versions.length === 2 && same(stored, versions[0]!.content) && final.at >= startedAt;
      await upsertVersion(trx, 'markets', final.content, settles ? { at: final.at } : {});
      updated += 1;
    }
  }
  return { inserted, updated, unchanged };
}
