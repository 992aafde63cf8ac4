import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listCurrentBalances, updateBalance } from '../../../src/entities/trading/account-balance.js';
import { closeEdge, createEdge, listCurrentEdges, updateEdge } from '../../../src/entities/trading/edges.js';
import { recordExit } from '../../../src/entities/trading/exits.js';
import { listCurrentGameStates, recordGameState } from '../../../src/entities/trading/game-states.js';
import { listCurrentMarkets, recordMarketSnapshot, updateMarket } from '../../../src/entities/trading/markets.js';
import {
  listOpenPositions,
  listPositionsForMonitoring,
  openPosition,
  updatePosition,
  type PositionChanges,
} from '../../../src/entities/trading/positions.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { T, marketSnapshot, seedTradingWorld, type TradingWorld } from './trading-fixtures.js';

const RUNS = ['0f8fad5b-d9cb-469f-a165-70867728950e', '7c9e6679-7425-40de-944b-e07fc1f90ae7'];

/** The ids of the current versions of a table, straight from the base table. */
async function currentIds(db: TestDatabase, table: string, extra = sql`true`): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select id from ${sql.table(table)} where row_current_ind and ${extra} order by id`.execute(db.db);
  return rows.map((r) => r.id);
}

const sortedIds = (rows: readonly { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

describeEachEngine('trading views over current rows', (engine) => {
  let db: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world = await seedTradingWorld(db);
  });
  afterAll(() => db.dispose());

  it('current_markets, current_game_states, current_edges, current_balances: one current row per key, nothing closed', async () => {
    await updateMarket(db.db, 'M1', { yes_price: '0.41' }, { at: T('2024-01-02T00:00:00Z') });
    await recordMarketSnapshot(db.db, marketSnapshot('M2'), { at: T('2024-01-02T00:00:00Z') });
    await updateMarket(db.db, 'M2', { status: 'settled', settlement_value: '0' }, { at: T('2024-01-03T00:00:00Z') });
    const game = { platform_id: 'espn', external_game_id: 'G1' };
    await recordGameState(db.db, { ...game, sport: 'nfl', status: 'live' }, { at: T('2024-01-02T00:00:00Z') });
    await recordGameState(db.db, { ...game, sport: 'nfl', status: 'final', home_score: 3 }, { at: T('2024-01-02T03:00:00Z') });
    const edge = {
      market_id: 'M1',
      model_id: world.modelId,
      side: 'yes' as const,
      true_win_probability: '0.5',
      market_implied_probability: '0.41',
      market_price: '0.41',
      expected_value: '0.09',
    };
    await createEdge(db.db, { ...edge, edge_id: 'E1', calculation_run_id: RUNS[0]! }, { at: T('2024-01-02T00:00:00Z') });
    await updateEdge(db.db, 'E1', { calculation_run_id: RUNS[1]!, expected_value: '0.08' }, { at: T('2024-01-02T01:00:00Z') });
    await createEdge(db.db, { ...edge, side: 'no', edge_id: 'E2', calculation_run_id: RUNS[0]! }, { at: T('2024-01-02T00:00:00Z') });
    await closeEdge(db.db, 'E2', { at: T('2024-01-02T01:00:00Z') });
    await updateBalance(db.db, { platform_id: 'kalshi', balance: '100' }, { at: T('2024-01-02T00:00:00Z') });
    await updateBalance(db.db, { platform_id: 'kalshi', balance: '90' }, { at: T('2024-01-02T01:00:00Z') });

    const markets = await listCurrentMarkets(db.db);
    expect(sortedIds(markets)).toEqual(await currentIds(db, 'markets'));
    expect(markets.map((m) => [m.market_id, m.status, m.yes_price])).toEqual([
      ['M1', 'open', '0.4100'],
      ['M2', 'settled', '0.5000'],
    ]);
    expect((await listCurrentMarkets(db.db, { status: 'settled' })).map((m) => m.market_id)).toEqual(['M2']);

    const games = await listCurrentGameStates(db.db);
    expect(sortedIds(games)).toEqual(await currentIds(db, 'game_states'));
    expect(games.map((g) => [g.external_game_id, g.status, g.home_score])).toEqual([['G1', 'final', 3]]);

    const edges = await listCurrentEdges(db.db);
    expect(sortedIds(edges)).toEqual(await currentIds(db, 'edges'));
    expect(edges.map((e) => [e.edge_id, e.expected_value])).toEqual([['E1', '0.0800']]);
    expect(await listCurrentEdges(db.db, { calculation_run_id: RUNS[0]! })).toEqual([]);

    const balances = await listCurrentBalances(db.db);
    expect(sortedIds(balances)).toEqual(await currentIds(db, 'account_balance'));
    expect(balances.map((b) => b.balance)).toEqual(['90.0000']);
  });

  it('open_positions and positions_urgent_monitoring: current open versions only, with is_urgent by the spec rules', async () => {
    let order = 0;
    const open = async (positionId: string, changes: PositionChanges) => {
      order += 1;
      await openPosition(
        db.db,
        {
          position_id: positionId,
          market_id: 'M1',
          side: 'yes',
          quantity: 2,
          entry_price: '0.50',
          trade: { order_id: `O-${positionId}` },
        },
        { at: T(`2024-01-04T00:00:0${order}Z`) },
      );
      await updatePosition(db.db, positionId, changes, { at: T('2024-01-04T01:00:00Z') });
    };
    // 1. no current price -> not urgent, even with a P&L far below the stop
    await open('P-NOPRICE', { unrealized_pnl_pct: '-0.50' });
    // 2. active trailing stop within 2% of the price -> urgent (|0.50 - 0.495| / 0.50 = 1%)
    await open('P-TRAIL-NEAR', { current_price: '0.50', trailing_stop_state: { active: true, current_stop_price: '0.495' } });
    // 2. active trailing stop 10% away, P&L fine -> not urgent
    await open('P-TRAIL-FAR', { current_price: '0.50', trailing_stop_state: { active: true, current_stop_price: '0.45' } });
    // 2. an inactive trailing stop does not count
    await open('P-TRAIL-OFF', { current_price: '0.50', trailing_stop_state: { active: false, current_stop_price: '0.50' } });
    // 3. P&L below -13% -> urgent
    await open('P-LOSS', { current_price: '0.43', unrealized_pnl_pct: '-0.14' });
    // 3. exactly -13% is not below it
    await open('P-EDGE', { current_price: '0.435', unrealized_pnl_pct: '-0.13' });
    // a zero price skips rule 2 (no division error) and falls through to rule 3
    await open('P-ZERO', {
      current_price: '0',
      trailing_stop_state: { active: true, current_stop_price: '0' },
      unrealized_pnl_pct: '-1',
    });
    // 4. otherwise not urgent
    await open('P-CALM', { current_price: '0.55', unrealized_pnl_pct: '0.10' });
    // a closed position is in neither view
    await open('P-CLOSED', { current_price: '0.60' });
    await recordExit(
      db.db,
      {
        position_id: 'P-CLOSED',
        quantity: 2,
        exit_price: '0.60',
        exit_condition: 'profit_target',
        exit_priority: 'LOW',
        trade: { order_id: 'O-CLOSE' },
      },
      { at: T('2024-01-04T02:00:00Z') },
    );

    const openRows = await listOpenPositions(db.db);
    expect(sortedIds(openRows)).toEqual(await currentIds(db, 'positions', sql`status = 'open'`));
    expect(openRows.map((p) => p.position_id)).not.toContain('P-CLOSED');
    // every version there is the current one (each position has two versions by now)
    expect(openRows.every((p) => p.row_current_ind && p.row_end_ts === null)).toBe(true);

    const monitored = await listPositionsForMonitoring(db.db);
    expect(sortedIds(monitored)).toEqual(sortedIds(openRows));
    expect(Object.fromEntries(monitored.map((p) => [p.position_id, p.is_urgent]))).toEqual({
      'P-NOPRICE': false,
      'P-TRAIL-NEAR': true,
      'P-TRAIL-FAR': false,
      'P-TRAIL-OFF': false,
      'P-LOSS': true,
      'P-EDGE': false,
      'P-ZERO': true,
      'P-CALM': false,
    });
    expect((await listPositionsForMonitoring(db.db, { urgentOnly: true })).map((p) => p.position_id)).toEqual([
      'P-LOSS',
      'P-TRAIL-NEAR',
      'P-ZERO',
    ]);
  });
});
