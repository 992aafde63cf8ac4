import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.js';
import { ConstraintViolationError, VersioningError } from '../../../src/db/errors.js';
import { InvalidTradingInputError, PositionStateError } from '../../../src/entities/trading/errors.js';
import { listExitAttempts, recordExitAttempt } from '../../../src/entities/trading/exit-attempts.js';
import { listExits, recordExit } from '../../../src/entities/trading/exits.js';
import { getCurrentMarket, getMarketHistory, recordMarketSnapshot } from '../../../src/entities/trading/markets.js';
import {
  getCurrentPosition,
  getPositionAsOf,
  getPositionHistory,
  openPosition,
  touchPositionCheck,
  updatePosition,
  type OpenPositionInput,
} from '../../../src/entities/trading/positions.js';
import { getSettlement, recordSettlement } from '../../../src/entities/trading/settlements.js';
import { getTradeByOrderId, listTrades, recordTrade } from '../../../src/entities/trading/trades.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { countRows } from '../../support/fixtures.js';
import { T, expectRejectedUnchanged, marketSnapshot, seedTradingWorld, type TradingWorld } from './trading-fixtures.js';

describeEachEngine('positions, trades, exits and settlements', (engine) => {
  let db: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world = await seedTradingWorld(db);
  });
  afterAll(() => db.dispose());

  function opening(positionId: string, orderId: string, overrides: Partial<OpenPositionInput> = {}): OpenPositionInput {
    return {
      position_id: positionId,
      market_id: 'M1',
      strategy_id: world.strategyId,
      model_id: world.modelId,
      side: 'yes',
      quantity: 10,
      entry_price: '0.40',
      calculated_probability: '0.55',
      market_price_at_entry: '0.40',
      edge_at_entry: '0.15',
      trade: { order_id: orderId, fees: '0.07', execution_time: '2024-01-03T10:00:00Z', order_type: 'limit' },
      ...overrides,
    };
  }

  it('opens a position and its opening trade in one transaction, version 1 first', async () => {
    const market = await getCurrentMarket(db.db, 'M1');
    const { position, trade } = await openPosition(db.db, opening('POS-1', 'ORD-1'));
    expect(position).toMatchObject({
      position_id: 'POS-1',
      initial_order_id: 'ORD-1',
      platform_id: 'kalshi',
      market_row_id: market!.id,
      quantity: 10,
      entry_price: '0.4000',
      status: 'open',
      fees: '0.0700',
      entry_time: T('2024-01-03T10:00:00Z'),
      row_start_ts: T('2024-01-03T10:00:00Z'),
      exit_time: null,
    });
    expect(trade).toMatchObject({
      order_id: 'ORD-1',
      side: 'buy',
      contract_side: 'yes',
      order_type: 'limit',
      price: '0.4000',
      quantity: 10,
      position_id: 'POS-1',
      position_row_id: position.id,
      market_row_id: market!.id,
      strategy_id: world.strategyId,
      model_id: world.modelId,
      calculated_probability: '0.5500',
      market_price: '0.4000',
      edge_at_execution: '0.1500',
      execution_environment: 'live',
    });
    // the trade points at version 1, so version 1 existed when the trade was inserted
    expect(await getPositionHistory(db.db, 'POS-1')).toHaveLength(1);
    expect((await getTradeByOrderId(db.db, 'ORD-1'))?.trade_id).toBe(trade.trade_id);
  });

  it('writes neither row when the opening trade is refused', async () => {
    await expectRejectedUnchanged(
      db,
      () => openPosition(db.db, opening('POS-DUP', 'ORD-1')),
      ConstraintViolationError,
      /positions position_id=POS-DUP: trades: duplicate key: an order_id is recorded at most once/,
    );
    expect(await getCurrentPosition(db.db, 'POS-DUP')).toBeUndefined();
    await expectRejectedUnchanged(
      db,
      () => openPosition(db.db, opening('POS-1', 'ORD-NEW')),
      VersioningError,
      /positions position_id=POS-1 already has a current version/,
    );
  });

  it('refreshes prices as versions, and the heartbeat in place', async () => {
    const refreshed = await updatePosition(
      db.db,
      'POS-1',
      {
        current_price: '0.45',
        unrealized_pnl: '0.50',
        unrealized_pnl_pct: '0.125',
        trailing_stop_state: { active: true, activation_price: '0.45', peak_price: 0.45, current_stop_price: '0.42' },
      },
      { at: T('2024-01-03T11:00:00Z') },
    );
    expect(refreshed.row).toMatchObject({
      current_price: '0.4500',
      unrealized_pnl_pct: '0.1250',
      trailing_stop_state: { active: true, activation_price: '0.4500', peak_price: '0.4500', current_stop_price: '0.4200' },
      entry_price: '0.4000',
      initial_order_id: 'ORD-1',
    });
    const versionsBefore = (await getPositionHistory(db.db, 'POS-1')).length;
    const touched = await touchPositionCheck(db.db, 'POS-1', T('2024-01-03T11:00:30Z'));
    expect(touched).toMatchObject({ id: refreshed.row.id, last_check_time: T('2024-01-03T11:00:30Z') });
    // never backwards
    const older = await touchPositionCheck(db.db, 'POS-1', T('2024-01-03T11:00:10Z'));
    expect(older.last_check_time).toEqual(T('2024-01-03T11:00:30Z'));
    expect(await getPositionHistory(db.db, 'POS-1')).toHaveLength(versionsBefore);
    await expectRejectedUnchanged(
      db,
      () => touchPositionCheck(db.db, 'NOPE', T('2024-01-03T11:00:30Z')),
      VersioningError,
      /positions position_id=NOPE has no current version/,
    );
    // the entry snapshot and lifecycle columns are not monitoring fields
    await expectRejectedUnchanged(
      db,
      () => updatePosition(db.db, 'POS-1', { quantity: 3, entry_price: '0.1' } as never),
      InvalidTradingInputError,
      /positions position_id=POS-1: .*quantity 3: is not a field accepted here; entry_price "0.1": is not a field accepted here/,
    );
  });

  it('a partial exit, then a full exit: trade + exit row + position version each time', async () => {
    await recordMarketSnapshot(db.db, marketSnapshot('M1', { yes_price: '0.55', no_price: '0.45' }), {
      at: T('2024-01-03T12:00:00Z'),
    });
    const before = (await getPositionHistory(db.db, 'POS-1')).at(-1)!;
    const partial = await recordExit(db.db, {
      position_id: 'POS-1',
      quantity: 6,
      exit_price: '0.55',
      exit_condition: 'partial_exit_target',
      exit_priority: 'MEDIUM',
      unrealized_pnl_at_exit: '1.50',
      trade: { order_id: 'ORD-2', fees: '0.035', execution_time: '2024-01-03T12:30:00Z' },
    });
    const marketNow = await getCurrentMarket(db.db, 'M1');
    expect(partial.trade).toMatchObject({
      side: 'sell',
      contract_side: 'yes',
      price: '0.5500',
      quantity: 6,
      position_row_id: before.id,
      market_row_id: marketNow!.id,
      fees: '0.0350',
    });
    expect(partial.exit).toMatchObject({
      position_row_id: before.id,
      exit_trade_id: partial.trade.trade_id,
      quantity_exited: 6,
      exit_price: '0.5500',
      unrealized_pnl_at_exit: '1.5000',
    });
    expect(partial.position).toMatchObject({
      quantity: 4,
      status: 'open',
      fees: '0.1050',
      realized_pnl: '0.9000',
      exit_price: null,
      exit_time: null,
      row_start_ts: T('2024-01-03T12:30:00Z'),
      // carried over from the previous version
      last_check_time: T('2024-01-03T11:00:30Z'),
      current_price: '0.4500',
    });

    await expectRejectedUnchanged(
      db,
      () =>
        recordExit(db.db, {
          position_id: 'POS-1',
          quantity: 5,
          exit_price: '0.3',
          exit_condition: 'stop_loss',
          exit_priority: 'CRITICAL',
          trade: { order_id: 'ORD-3' },
        }),
      PositionStateError,
      /positions position_id=POS-1: cannot exit 5 contracts, it holds 4/,
    );

    const full = await recordExit(db.db, {
      position_id: 'POS-1',
      quantity: 4,
      exit_price: '0.30',
      exit_condition: 'stop_loss',
      exit_priority: 'CRITICAL',
      trade: { order_id: 'ORD-3', execution_time: '2024-01-03T13:00:00Z' },
    });
    expect(full.exit.position_row_id).toBe(partial.position.id);
    expect(full.position).toMatchObject({
      quantity: 0,
      status: 'closed',
      exit_time: T('2024-01-03T13:00:00Z'),
      exit_price: '0.4500',
      exit_reason: 'stop_loss',
      exit_priority: 'CRITICAL',
      realized_pnl: '0.5000',
      fees: '0.1050',
      unrealized_pnl: '0.0000',
    });
    expect((await getPositionHistory(db.db, 'POS-1')).map((p) => [p.quantity, p.status])).toEqual([
      [10, 'open'],
      [10, 'open'],
      [4, 'open'],
      [0, 'closed'],
    ]);
    expect((await getPositionAsOf(db.db, 'POS-1', T('2024-01-03T12:45:00Z')))?.quantity).toBe(4);
    expect((await listExits(db.db, 'POS-1')).map((e) => e.quantity_exited)).toEqual([6, 4]);
    expect((await listTrades(db.db, { position_id: 'POS-1' })).map((t) => t.side)).toEqual(['buy', 'sell', 'sell']);

    await expectRejectedUnchanged(
      db,
      () =>
        recordExit(db.db, {
          position_id: 'POS-1',
          quantity: 1,
          exit_price: '0.3',
          exit_condition: 'stop_loss',
          exit_priority: 'CRITICAL',
          trade: { order_id: 'ORD-4' },
        }),
      PositionStateError,
      /positions position_id=POS-1 is closed: cannot exit/,
    );
    await expectRejectedUnchanged(
      db,
      () => updatePosition(db.db, 'POS-1', { current_price: '0.3' }),
      PositionStateError,
      /is closed: cannot be updated/,
    );
  });

  it('an exit whose execution time is before the entry is rolled back whole', async () => {
    await openPosition(db.db, opening('POS-EARLY', 'ORD-E1', { entry_time: '2024-01-04T10:00:00Z' }), {
      at: T('2024-01-04T10:00:00Z'),
    });
    await expectRejectedUnchanged(
      db,
      () =>
        recordExit(
          db.db,
          {
            position_id: 'POS-EARLY',
            quantity: 10,
            exit_price: '0.5',
            exit_condition: 'profit_target',
            exit_priority: 'LOW',
            trade: { order_id: 'ORD-E2', execution_time: '2024-01-04T09:00:00Z' },
          },
          { at: T('2024-01-04T11:00:00Z') },
        ),
      ConstraintViolationError,
      /position_exits position_id=POS-EARLY: positions: check failed: exit_time must not be before entry_time/,
    );
    expect((await getCurrentPosition(db.db, 'POS-EARLY'))?.quantity).toBe(10);
  });

  it('records exit attempts against the current position version', async () => {
    const current = await getCurrentPosition(db.db, 'POS-EARLY');
    const failed = await recordExitAttempt(db.db, {
      position_id: 'POS-EARLY',
      exit_condition: 'profit_target',
      priority_level: 'LOW',
      order_type: 'limit',
      limit_price: '0.60',
      quantity: 10,
      attempt_number: 1,
      timeout_seconds: 30,
      success: false,
    });
    expect(failed).toMatchObject({ position_row_id: current!.id, order_id: null, limit_price: '0.6000', success: false });
    await recordExitAttempt(db.db, {
      position_id: 'POS-EARLY',
      order_id: 'ORD-WALK-2',
      exit_condition: 'profit_target',
      priority_level: 'LOW',
      order_type: 'market',
      fill_price: 0.58,
      quantity: 10,
      attempt_number: 2,
      success: true,
    });
    expect((await listExitAttempts(db.db, 'POS-EARLY')).map((a) => a.attempt_number)).toEqual([1, 2]);
  });

  it('records a standalone trade, defaulting platform and market version', async () => {
    const trade = await recordTrade(db.db, {
      market_id: 'M1',
      side: 'buy',
      contract_side: 'no',
      price: '0.45',
      quantity: 3,
      execution_environment: 'backtest',
      trade_metadata: { fills: [{ price: '0.45', quantity: 3 }] },
    });
    expect(trade).toMatchObject({
      order_id: null,
      platform_id: 'kalshi',
      position_id: null,
      trade_metadata: { fills: [{ price: '0.45', quantity: 3 }] },
    });
    await expectRejectedUnchanged(
      db,
      () =>
        recordTrade(db.db, {
          order_id: 'ORD-X',
          platform_id: 'espn',
          market_id: 'M1',
          side: 'buy',
          contract_side: 'no',
          price: '0.45',
          quantity: 3,
        }),
      InvalidTradingInputError,
      /trades order_id=ORD-X: .*platform_id "espn": market M1 is listed on kalshi/,
    );
  });

  it('settles a market: settled market version, settlement row, settled open positions', async () => {
    await openPosition(db.db, opening('POS-YES', 'ORD-Y', { quantity: 5, entry_price: '0.40' }));
    await openPosition(db.db, opening('POS-NO', 'ORD-N', { side: 'no', quantity: 2, entry_price: '0.55', edge_at_entry: null }));
    await recordExit(db.db, {
      position_id: 'POS-YES',
      quantity: 1,
      exit_price: '0.50',
      exit_condition: 'rebalance',
      exit_priority: 'LOW',
      trade: { order_id: 'ORD-Y2', execution_time: '2024-01-05T00:00:00Z' },
    });
    const result = await recordSettlement(
      db.db,
      {
        market_id: 'M1',
        outcome: 'yes',
        payout: 1,
        external_settlement_id: 'KX-SETTLE-1',
        settlement_timestamp: '2024-01-22T04:00:00Z',
        api_response: { market: { ticker: 'TK-M1', result: 'yes' } },
      },
      { at: T('2024-01-22T04:05:00Z') },
    );
    expect(result.market).toMatchObject({ market_id: 'M1', status: 'settled', settlement_value: '1.0000', row_current_ind: true });
    expect(result.settlement).toMatchObject({
      market_row_id: result.market.id,
      platform_id: 'kalshi',
      payout: '1.0000',
      calculation_method: 'api_sourced',
      settlement_timestamp: T('2024-01-22T04:00:00Z'),
    });
    const byId = Object.fromEntries(result.positions.map((p) => [p.position_id, p]));
    // POS-EARLY (10 yes @ 0.40, never exited), POS-YES (4 left of 5 @ 0.40, one sold @ 0.50), POS-NO (2 no @ 0.55)
    expect(Object.keys(byId).sort()).toEqual(['POS-EARLY', 'POS-NO', 'POS-YES']);
    expect(byId['POS-YES']).toMatchObject({
      status: 'settled',
      quantity: 4,
      exit_time: T('2024-01-22T04:00:00Z'),
      exit_price: '0.9000',
      realized_pnl: '2.5000',
      unrealized_pnl: '0.0000',
    });
    expect(byId['POS-NO']).toMatchObject({ status: 'settled', exit_price: '0.0000', realized_pnl: '-1.1000' });
    expect((await getCurrentPosition(db.db, 'POS-1'))?.status).toBe('closed');
    expect((await getMarketHistory(db.db, 'M1')).at(-1)?.status).toBe('settled');
    expect((await getSettlement(db.db, 'M1'))?.settlement_id).toBe(result.settlement.settlement_id);
    // settling writes no exit rows
    expect(await listExits(db.db, 'POS-NO')).toHaveLength(0);

    // a second settlement of the market is refused whole
    const exitsBefore = await countRows(db, 'position_exits');
    await expectRejectedUnchanged(
      db,
      () =>
        recordSettlement(db.db, { market_id: 'M1', outcome: 'no', payout: 0, calculation_method: 'manual' }, {
          at: T('2024-01-23T00:00:00Z'),
        }),
      ConstraintViolationError,
      /settlements market_id=M1: /,
    );
    expect(await countRows(db, 'position_exits')).toBe(exitsBefore);
  });
  it('composes inside a caller\'s transaction: a later failure rolls the market, position and trade back', async () => {
    await expectRejectedUnchanged(
      db,
      () =>
        db.transaction(async ({ db: trx }) => {
          await recordMarketSnapshot(trx, marketSnapshot('M-TX'), { at: T('2024-02-01T00:00:00Z') });
          await openPosition(trx, opening('POS-TX', 'ORD-TX', { market_id: 'M-TX' }));
          throw new Error('the caller changed its mind');
        }),
      Error,
      /the caller changed its mind/,
    );
    expect(await getCurrentMarket(db.db, 'M-TX')).toBeUndefined();
    expect(await getCurrentPosition(db.db, 'POS-TX')).toBeUndefined();
    expect(await getTradeByOrderId(db.db, 'ORD-TX')).toBeUndefined();
  });

  if (engine === 'postgres') {
    it('serializes concurrent exits of one position: never more contracts than it holds', async () => {
      await recordMarketSnapshot(db.db, marketSnapshot('M-HOT'), { at: T('2024-02-01T00:00:00Z') });
      await openPosition(db.db, opening('POS-HOT', 'ORD-HOT', { market_id: 'M-HOT', quantity: 10 }), {
        at: T('2024-02-01T00:00:00Z'),
      });
      const writers = await Promise.all(
        Array.from({ length: 4 }, () => openDatabase({ engine: 'postgres', url: db.url! })),
      );
      try {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            recordExit(writers[i % writers.length]!.db, {
              position_id: 'POS-HOT',
              quantity: 2,
              exit_price: '0.5',
              exit_condition: 'rebalance',
              exit_priority: 'LOW',
              trade: { order_id: `ORD-HOT-${i}` },
            }),
          ),
        );
        const done = outcomes.filter((o) => o.status === 'fulfilled');
        const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(done).toHaveLength(5);
        for (const r of refused) expect(r.reason).toBeInstanceOf(PositionStateError);
      } finally {
        await Promise.all(writers.map((w) => w.close()));
      }
      const versions = await getPositionHistory(db.db, 'POS-HOT');
      expect(versions.map((v) => v.quantity)).toEqual([10, 8, 6, 4, 2, 0]);
      expect(versions.at(-1)?.status).toBe('closed');
      expect(await listExits(db.db, 'POS-HOT')).toHaveLength(5);
    }, 60_000);
  }
});
