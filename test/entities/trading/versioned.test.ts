import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConstraintViolationError, VersioningError } from '../../../src/db/errors.js';
import {
  getBalanceAsOf,
  getBalanceHistory,
  getCurrentBalance,
  updateBalance,
} from '../../../src/entities/trading/account-balance.js';
import {
  closeEdge,
  createEdge,
  getCurrentEdge,
  getEdgeAsOf,
  getEdgeHistory,
  updateEdge,
} from '../../../src/entities/trading/edges.js';
import { InvalidTradingInputError, TradingRecordNotFoundError } from '../../../src/entities/trading/errors.js';
import {
  getCurrentGameState,
  getGameStateAsOf,
  getGameStateHistory,
  recordGameState,
  updateGameState,
} from '../../../src/entities/trading/game-states.js';
import {
  getCurrentMarket,
  getMarketAsOf,
  getMarketHistory,
  recordMarketSnapshot,
  updateMarket,
} from '../../../src/entities/trading/markets.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import {
  T,
  expectRejectedUnchanged,
  marketSnapshot,
  seedTradingWorld,
  type TradingWorld,
} from './trading-fixtures.js';

const RUN_1 = '0f8fad5b-d9cb-469f-a165-70867728950e';
const RUN_2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describeEachEngine('trading SCD2 tables: markets, game states, edges, balances', (engine) => {
  let db: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world = await seedTradingWorld(db);
  });
  afterAll(() => db.dispose());

  it('markets: a poll is a version only when something changed; omitted fields are kept', async () => {
    const first = await recordMarketSnapshot(db.db, marketSnapshot('MK', { yes_price: 0.42, volume: 10 }), {
      at: T('2024-01-02T10:00:00Z'),
    });
    expect(first.changed).toBe(true);
    expect(first.row).toMatchObject({ market_id: 'MK', yes_price: '0.4200', volume: 10, row_current_ind: true });
    // the same poll again (0.42 = 0.4200): no empty version
    const same = await recordMarketSnapshot(db.db, marketSnapshot('MK', { yes_price: '0.4200', volume: 10 }), {
      at: T('2024-01-02T10:01:00Z'),
    });
    expect(same).toMatchObject({ changed: false, row: { id: first.row.id } });
    const moved = await recordMarketSnapshot(db.db, marketSnapshot('MK', { yes_price: '0.45' }), { at: T('2024-01-02T11:00:00Z') });
    expect(moved.row).toMatchObject({ yes_price: '0.4500', volume: 10 });
    const halted = await updateMarket(db.db, 'MK', { status: 'halted' }, { at: T('2024-01-02T12:00:00Z') });
    expect(halted.row).toMatchObject({ status: 'halted', yes_price: '0.4500' });
    expect((await getMarketHistory(db.db, 'MK')).map((m) => [m.status, m.yes_price])).toEqual([
      ['open', '0.4200'],
      ['open', '0.4500'],
      ['halted', '0.4500'],
    ]);
    expect((await getMarketAsOf(db.db, 'MK', T('2024-01-02T10:30:00Z')))?.yes_price).toBe('0.4200');
    expect((await getCurrentMarket(db.db, 'MK'))?.id).toBe(halted.row.id);
    await expectRejectedUnchanged(
      db,
      () => updateMarket(db.db, 'NOPE', { status: 'open' }),
      VersioningError,
      /markets market_id=NOPE has no current version/,
    );
    await expectRejectedUnchanged(
      db,
      () => updateMarket(db.db, 'MK', { status: 'open' }, { at: T('2024-01-01T00:00:00Z') }),
      VersioningError,
      /markets market_id=MK: a change at .* is not after the current version's start/,
    );
    expect((await getCurrentMarket(db.db, 'MK'))?.status).toBe('halted');
  });

  it('game states: feed ticks by (platform, game id), replayable as of any instant', async () => {
    const game = { platform_id: 'espn', external_game_id: '401547665' };
    const pregame = await recordGameState(
      db.db,
      { ...game, event_id: 'EV1', sport: 'nfl', status: 'pregame' },
      { at: T('2024-01-21T23:00:00Z') },
    );
    expect(pregame.row).toMatchObject({ home_score: 0, away_score: 0, period: 0, status: 'pregame' });
    await recordGameState(
      db.db,
      { ...game, sport: 'nfl', status: 'live', period: 1, clock_seconds: '512.5', clock_display: '8:32', possession: 'home' },
      { at: T('2024-01-21T23:40:00Z') },
    );
    const scored = await updateGameState(db.db, game, { home_score: 7, sport_metadata: { down: 1, distance: 10 } }, {
      at: T('2024-01-21T23:50:00Z'),
    });
    expect(scored.row).toMatchObject({ home_score: 7, period: 1, clock_seconds: '512.50', event_id: 'EV1', possession: 'home' });
    expect(await getGameStateHistory(db.db, game)).toHaveLength(3);
    expect((await getGameStateAsOf(db.db, game, T('2024-01-21T23:45:00Z')))?.home_score).toBe(0);
    expect((await getCurrentGameState(db.db, game))?.sport_metadata).toEqual({ down: 1, distance: 10 });
    const unchanged = await updateGameState(db.db, game, { home_score: 7 });
    expect(unchanged.changed).toBe(false);
  });

  it('edges: created against the current market version, recomputed by a new run, closed out when gone', async () => {
    const market = await getCurrentMarket(db.db, 'M1');
    const edge = await createEdge(
      db.db,
      {
        edge_id: 'EDGE-1',
        calculation_run_id: RUN_1,
        market_id: 'M1',
        model_id: world.modelId,
        strategy_id: world.strategyId,
        side: 'yes',
        true_win_probability: 0.55,
        market_implied_probability: '0.40',
        market_price: '0.40',
        expected_value: 0.15,
        confidence_level: 'high',
        recommended_action: 'alert',
      },
      { at: T('2024-01-02T00:00:00Z') },
    );
    expect(edge).toMatchObject({ market_row_id: market!.id, expected_value: '0.1500', true_win_probability: '0.5500' });
    const recomputed = await updateEdge(
      db.db,
      'EDGE-1',
      { calculation_run_id: RUN_2, expected_value: '0.12', true_win_probability: '0.52' },
      { at: T('2024-01-02T01:00:00Z') },
    );
    expect(recomputed).toMatchObject({ changed: true, row: { calculation_run_id: RUN_2, expected_value: '0.1200', side: 'yes' } });
    await closeEdge(db.db, 'EDGE-1', { at: T('2024-01-02T02:00:00Z') });
    expect(await getCurrentEdge(db.db, 'EDGE-1')).toBeUndefined();
    expect((await getEdgeAsOf(db.db, 'EDGE-1', T('2024-01-02T00:30:00Z')))?.calculation_run_id).toBe(RUN_1);
    expect((await getEdgeHistory(db.db, 'EDGE-1')).map((e) => e.row_current_ind)).toEqual([false, false]);
    await expectRejectedUnchanged(db, () => closeEdge(db.db, 'EDGE-1'), VersioningError, /edges edge_id=EDGE-1 has no current version/);
    // the opportunity comes back under a new edge id
    await createEdge(db.db, {
      edge_id: 'EDGE-2',
      calculation_run_id: RUN_2,
      market_id: 'M1',
      model_id: world.modelId,
      strategy_id: world.strategyId,
      side: 'yes',
      true_win_probability: '0.5',
      market_implied_probability: '0.4',
      market_price: '0.4',
      expected_value: '0.1',
    });
    // a second live edge for the same (market, side, model, strategy) is refused by the database
    await expectRejectedUnchanged(
      db,
      () =>
        createEdge(db.db, {
          edge_id: 'EDGE-3',
          calculation_run_id: RUN_2,
          market_id: 'M1',
          model_id: world.modelId,
          strategy_id: world.strategyId,
          side: 'yes',
          true_win_probability: '0.5',
          market_implied_probability: '0.4',
          market_price: '0.4',
          expected_value: '0.1',
        }),
      ConstraintViolationError,
      /edges edge_id=EDGE-3/,
      /at most one current edge per \(market_id, side, model_id, strategy_id\)/,
    );
    // a market version of another market is refused before anything is written
    await recordMarketSnapshot(db.db, marketSnapshot('M-OTHER'));
    const other = await getCurrentMarket(db.db, 'M-OTHER');
    await expectRejectedUnchanged(
      db,
      () => updateEdge(db.db, 'EDGE-2', { calculation_run_id: RUN_1, market_row_id: other!.id }),
      InvalidTradingInputError,
      /edges edge_id=EDGE-2: .*market_row_id \d+: is a version of market M-OTHER, not M1/,
    );
    await expectRejectedUnchanged(
      db,
      () =>
        createEdge(db.db, {
          edge_id: 'EDGE-4',
          calculation_run_id: RUN_1,
          market_id: 'NO-MARKET',
          model_id: world.modelId,
          side: 'no',
          true_win_probability: '0.5',
          market_implied_probability: '0.4',
          market_price: '0.4',
          expected_value: '0.1',
        }),
      TradingRecordNotFoundError,
      /edges edge_id=EDGE-4: market NO-MARKET has no current version/,
    );
  });

  it('account balance: one version per changed amount, per (platform, currency)', async () => {
    const first = await updateBalance(db.db, { platform_id: 'kalshi', balance: '1000' }, { at: T('2024-01-01T00:00:00Z') });
    expect(first.row).toMatchObject({ currency: 'USD', balance: '1000.0000' });
    expect((await updateBalance(db.db, { platform_id: 'kalshi', balance: 1000 }, { at: T('2024-01-01T01:00:00Z') })).changed).toBe(false);
    await updateBalance(db.db, { platform_id: 'kalshi', balance: '987.65' }, { at: T('2024-01-01T02:00:00Z') });
    await updateBalance(db.db, { platform_id: 'kalshi', currency: 'EUR', balance: '5' }, { at: T('2024-01-01T02:00:00Z') });
    expect((await getBalanceHistory(db.db, 'kalshi')).map((b) => b.balance)).toEqual(['1000.0000', '987.6500']);
    expect((await getBalanceAsOf(db.db, 'kalshi', T('2024-01-01T01:30:00Z')))?.balance).toBe('1000.0000');
    expect((await getCurrentBalance(db.db, 'kalshi', 'EUR'))?.balance).toBe('5.0000');
  });
});
