import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateDatabaseError } from '../../../src/db/constraint-errors.js';
import { ConstraintViolationError } from '../../../src/db/errors.js';
import { updateBalance } from '../../../src/entities/trading/account-balance.js';
import { createEdge } from '../../../src/entities/trading/edges.js';
import { InvalidTradingInputError, PositionStateError } from '../../../src/entities/trading/errors.js';
import { createEvent } from '../../../src/entities/trading/events.js';
import { recordExitAttempt } from '../../../src/entities/trading/exit-attempts.js';
import { recordExit } from '../../../src/entities/trading/exits.js';
import { recordGameState } from '../../../src/entities/trading/game-states.js';
import { getCurrentMarket, recordMarketSnapshot, updateMarket } from '../../../src/entities/trading/markets.js';
import { openPosition, updatePosition } from '../../../src/entities/trading/positions.js';
import { recordSettlement } from '../../../src/entities/trading/settlements.js';
import { recordTrade } from '../../../src/entities/trading/trades.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import {
  T,
  countTradingRows,
  expectRejectedUnchanged,
  marketSnapshot,
  seedTradingWorld,
  sqlError,
  type TradingWorld,
} from './trading-fixtures.js';

const RUN = '0f8fad5b-d9cb-469f-a165-70867728950e';

describeEachEngine('trading rules: every CHECK class, append-only tables, immutable history', (engine) => {
  let db: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world = await seedTradingWorld(db);
  });
  afterAll(() => db.dispose());

  function edge(overrides: Record<string, unknown> = {}) {
    return {
      edge_id: 'C-EDGE',
      calculation_run_id: RUN,
      market_id: 'M1',
      model_id: world.modelId,
      side: 'yes' as const,
      true_win_probability: '0.5',
      market_implied_probability: '0.4',
      market_price: '0.4',
      expected_value: '0.1',
      ...overrides,
    };
  }

  describe('rejected before the database, naming table, key, field and rule', () => {
    // [what, attempt, patterns]: one case per class of CHECK in migration 0001
    const cases: [string, () => Promise<unknown>, RegExp[]][] = [
      [
        'enumeration (IN list)',
        () => recordMarketSnapshot(db.db, marketSnapshot('C1', { market_type: 'futures' as 'binary' })),
        [/^markets market_id=C1: /, /market_type "futures": must be one of binary, categorical, scalar/],
      ],
      [
        'probability in [0, 1]',
        () => recordMarketSnapshot(db.db, marketSnapshot('C1', { yes_price: 1.5 })),
        [/^markets market_id=C1: /, /yes_price 1.5: must be a probability in \[0, 1\]/],
      ],
      [
        'probability below 0, as text',
        () => updateMarket(db.db, 'M1', { no_price: '-0.01' }),
        [/^markets market_id=M1: /, /no_price "-0.01": must be a probability in \[0, 1\]/],
      ],
      [
        'signed value in [-1, 1]',
        () => createEdge(db.db, edge({ expected_value: '-1.5' })),
        [/^edges edge_id=C-EDGE: /, /expected_value "-1.5": must be in \[-1, 1\]/],
      ],
      [
        'count >= 0',
        () => recordMarketSnapshot(db.db, marketSnapshot('C1', { volume: -1 })),
        [/^markets market_id=C1: /, /volume -1: must be >= 0/],
      ],
      [
        'amount >= 0',
        () => updateBalance(db.db, { platform_id: 'kalshi', balance: '-5' }),
        [/^account_balance platform_id=kalshi, currency=USD: /, /balance "-5": must be an amount >= 0/],
      ],
      [
        'decimal that is not a number',
        () => updateBalance(db.db, { platform_id: 'kalshi', balance: 'lots' }),
        [/balance "lots": must be a decimal number/],
      ],
      [
        'quantity > 0',
        () =>
          recordTrade(db.db, { order_id: 'C-T', market_id: 'M1', side: 'buy', contract_side: 'yes', price: '0.4', quantity: 0 }),
        [/^trades order_id=C-T: /, /quantity 0: must be > 0/],
      ],
      [
        'seconds >= 0',
        () =>
          recordGameState(db.db, { platform_id: 'espn', external_game_id: 'G1', sport: 'nfl', status: 'live', clock_seconds: -3 }),
        [/^game_states platform_id=espn, external_game_id=G1: /, /clock_seconds -3: must be seconds >= 0/],
      ],
      [
        'a settled market has a settlement_value',
        () => recordMarketSnapshot(db.db, marketSnapshot('C1', { status: 'settled' })),
        [/^markets market_id=C1: /, /settlement_value \(missing\): a settled market must have a settlement_value/],
      ],
      [
        'order_id required except for backtest trades',
        () => recordTrade(db.db, { market_id: 'M1', side: 'buy', contract_side: 'yes', price: '0.4', quantity: 1 }),
        [/^trades order_id=\(none\): /, /order_id \(missing\): is required except for backtest trades/],
      ],
      [
        'an api_sourced settlement has its external id, timestamp and raw response',
        () => recordSettlement(db.db, { market_id: 'M1', outcome: 'yes', payout: 1 }),
        [
          /^settlements market_id=M1: /,
          /external_settlement_id \(missing\): is required for an api_sourced settlement/,
          /settlement_timestamp \(missing\): is required/,
          /api_response \(missing\): is required/,
        ],
      ],
      [
        'limit_price exactly for limit orders',
        () =>
          recordExitAttempt(db.db, {
            position_id: 'C-POS',
            exit_condition: 'stop_loss',
            priority_level: 'HIGH',
            order_type: 'market',
            limit_price: '0.3',
            quantity: 1,
            attempt_number: 1,
            success: false,
          }),
        [/^exit_attempts position_id=C-POS: /, /limit_price "0.3": must be set exactly for limit orders/],
      ],
      [
        'a successful attempt has an order_id and a fill_price',
        () =>
          recordExitAttempt(db.db, {
            position_id: 'C-POS',
            exit_condition: 'stop_loss',
            priority_level: 'HIGH',
            order_type: 'market',
            quantity: 1,
            attempt_number: 1,
            success: true,
          }),
        [/order_id \(missing\): is required for a successful attempt; fill_price \(missing\): is required/],
      ],
      [
        'end_time not before start_time',
        () =>
          createEvent(db.db, {
            event_id: 'C-EV',
            platform_id: 'kalshi',
            external_id: 'C-EV',
            category: 'sports',
            title: 't',
            start_time: '2024-01-02T00:00:00Z',
            end_time: '2024-01-01T00:00:00Z',
          }),
        [/^events event_id=C-EV: /, /end_time "2024-01-01T00:00:00Z": must not be before start_time/],
      ],
      [
        'trailing stop price in [0, 1]',
        () =>
          openPosition(db.db, {
            position_id: 'C-POS',
            market_id: 'M1',
            side: 'yes',
            quantity: 1,
            entry_price: '0.4',
            trailing_stop_state: { active: true, current_stop_price: 1.5 },
            trade: { order_id: 'C-O' },
          }),
        [/^positions position_id=C-POS: /, /trailing_stop_state.current_stop_price 1.5: must be a probability in \[0, 1\]/],
      ],
      [
        'an open position holds quantity > 0',
        () =>
          openPosition(db.db, {
            position_id: 'C-POS',
            market_id: 'M1',
            side: 'yes',
            quantity: 0,
            entry_price: '0.4',
            trade: { order_id: 'C-O' },
          }),
        [/^positions position_id=C-POS: /, /quantity 0: must be > 0/],
      ],
      [
        'the opening order names its order id unless backtest',
        () =>
          openPosition(db.db, { position_id: 'C-POS', market_id: 'M1', side: 'yes', quantity: 1, entry_price: '0.4', trade: {} }),
        [/trade.order_id \(missing\): is required except for backtest trades/],
      ],
      [
        'typed ids and instants',
        () => createEdge(db.db, edge({ calculation_run_id: 'run-1', model_id: 1.5 })),
        [/calculation_run_id "run-1": must be a UUID/, /model_id 1.5: must be a whole number/],
      ],
      [
        'a timestamp without a zone',
        () =>
          recordTrade(db.db, {
            order_id: 'C-T',
            market_id: 'M1',
            side: 'buy',
            contract_side: 'yes',
            price: '0.4',
            quantity: 1,
            execution_time: '2024-01-01 10:00',
          }),
        [/execution_time "2024-01-01 10:00": must be an ISO-8601 timestamp with a time zone/],
      ],
    ];
    for (const [what, attempt, patterns] of cases) {
      it(what, async () => {
        await expectRejectedUnchanged(db, attempt, InvalidTradingInputError, ...patterns);
      });
    }
  });

  describe('rejected by the database, mapped through translateDatabaseError, nothing written', () => {
    it('a missing reference (foreign key)', async () => {
      await expectRejectedUnchanged(
        db,
        () => recordMarketSnapshot(db.db, marketSnapshot('C-FK', { event_id: 'NO-EVENT' })),
        ConstraintViolationError,
        /^markets market_id=C-FK: markets: missing reference: event_id must reference an existing event/,
      );
    });

    it('a cross-column CHECK the input alone cannot decide (settled without a stored settlement value)', async () => {
      await expectRejectedUnchanged(
        db,
        () => updateMarket(db.db, 'M1', { status: 'settled' }),
        ConstraintViolationError,
        /^markets market_id=M1: markets: check failed: a settled market must have a settlement_value/,
      );
    });

    it('a duplicate current key (partial unique index)', async () => {
      await recordMarketSnapshot(db.db, marketSnapshot('C-U1', { external_id: 'SHARED' }));
      await expectRejectedUnchanged(
        db,
        () => recordMarketSnapshot(db.db, marketSnapshot('C-U2', { external_id: 'SHARED' })),
        ConstraintViolationError,
        /^markets market_id=C-U2: markets: duplicate key: at most one current market per \(platform_id, external_id\)/,
      );
    });

    it('every CHECK still holds when the validation layer is bypassed', async () => {
      const market = await getCurrentMarket(db.db, 'M1');
      const statements: [ReturnType<typeof sql>, RegExp][] = [
        [
          sql`insert into markets (market_id, platform_id, event_id, external_id, title, market_type, status, yes_price)
              values ('RAW', 'kalshi', 'EV1', 'RAW', 't', 'binary', 'open', 1.5)`,
          /markets: check failed: yes_price must be a probability in \[0, 1\]/,
        ],
        [
          sql`insert into markets (market_id, platform_id, event_id, external_id, title, market_type, status)
              values ('RAW', 'kalshi', 'EV1', 'RAW', 't', 'futures', 'open')`,
          /markets: check failed: market_type must be one of binary, categorical, scalar/,
        ],
        [
          sql`insert into trades (platform_id, market_id, market_row_id, side, contract_side, price, quantity, order_id)
              values ('kalshi', 'M1', ${market!.id}, 'buy', 'yes', 0.4, 0, 'RAW')`,
          /trades: check failed: quantity must be > 0/,
        ],
        [
          sql`insert into trades (platform_id, market_id, market_row_id, side, contract_side, price, quantity)
              values ('kalshi', 'M1', ${market!.id}, 'buy', 'yes', 0.4, 1)`,
          /trades: check failed: order_id is required except for backtest trades/,
        ],
        [
          sql`insert into edges (edge_id, calculation_run_id, market_id, market_row_id, model_id, side,
                true_win_probability, market_implied_probability, market_price, expected_value)
              values ('RAW', ${RUN}, 'M1', ${market!.id}, ${world.modelId}, 'yes', 0.5, 0.4, 0.4, -1.5)`,
          /edges: check failed: expected_value must be in \[-1, 1\]/,
        ],
        [
          sql`insert into account_balance (platform_id, balance) values ('kalshi', -1)`,
          /account_balance: check failed: balance must be >= 0/,
        ],
        [
          sql`insert into settlements (platform_id, market_id, market_row_id, outcome)
              values ('kalshi', 'M1', ${market!.id}, 'yes')`,
          /settlements: check failed: an api_sourced settlement needs external_settlement_id/,
        ],
        [
          sql`insert into positions (position_id, platform_id, market_id, market_row_id, side, quantity, entry_price,
                entry_time, trailing_stop_state)
              values ('RAW', 'kalshi', 'M1', ${market!.id}, 'yes', 1, 0.4, now(), '{"current_stop_price": "abc"}')`,
          /positions: check failed: trailing_stop_state must be a JSON object/,
        ],
        [
          sql`insert into positions (position_id, platform_id, market_id, market_row_id, side, quantity, entry_price,
                entry_time, status)
              values ('RAW', 'kalshi', 'M1', ${market!.id}, 'yes', 0, 0.4, now(), 'open')`,
          /positions: check failed: an open position must hold quantity > 0/,
        ],
      ];
      const before = await countTradingRows(db);
      for (const [statement, pattern] of statements) {
        const error = translateDatabaseError(await sqlError(db, statement));
        expect(error).toBeInstanceOf(ConstraintViolationError);
        expect((error as Error).message).toMatch(pattern);
      }
      expect(await countTradingRows(db)).toEqual(before);
    });
  });

  it('append-only tables reject UPDATE and DELETE; SCD2 history is never rewritten or deleted', async () => {
    await recordMarketSnapshot(db.db, marketSnapshot('AO', { yes_price: '0.3' }), { at: T('2024-02-01T00:00:00Z') });
    await openPosition(
      db.db,
      { position_id: 'AO-POS', market_id: 'AO', side: 'yes', quantity: 2, entry_price: '0.3', trade: { order_id: 'AO-1' } },
      { at: T('2024-02-01T01:00:00Z') },
    );
    await recordExitAttempt(db.db, {
      position_id: 'AO-POS',
      exit_condition: 'early_exit',
      priority_level: 'LOW',
      order_type: 'market',
      quantity: 1,
      attempt_number: 1,
      success: false,
    });
    await recordExit(
      db.db,
      {
        position_id: 'AO-POS',
        quantity: 1,
        exit_price: '0.35',
        exit_condition: 'early_exit',
        exit_priority: 'LOW',
        trade: { order_id: 'AO-2' },
      },
      { at: T('2024-02-01T02:00:00Z') },
    );
    await recordSettlement(
      db.db,
      {
        market_id: 'AO',
        outcome: 'no',
        payout: 0,
        external_settlement_id: 'AO-S',
        settlement_timestamp: '2024-02-02T00:00:00Z',
        api_response: { result: 'no' },
      },
      { at: T('2024-02-02T00:00:00Z') },
    );
    const before = await countTradingRows(db);
    const attempts: [ReturnType<typeof sql>, RegExp][] = [
      [sql`update trades set price = 0.5 where order_id = 'AO-1'`, /^trades row trade_id=\d+ is append-only: cannot be updated/],
      [sql`delete from trades where order_id = 'AO-2'`, /^trades row trade_id=\d+ is append-only: cannot be deleted/],
      [
        sql`update settlements set outcome = 'yes' where market_id = 'AO'`,
        /^settlements row settlement_id=\d+ is append-only: cannot be updated/,
      ],
      [
        sql`delete from settlements where market_id = 'AO'`,
        /^settlements row settlement_id=\d+ is append-only: cannot be deleted/,
      ],
      [
        sql`update position_exits set quantity_exited = 2 where position_id = 'AO-POS'`,
        /^position_exits row exit_id=\d+ is append-only: cannot be updated/,
      ],
      [
        sql`delete from position_exits where position_id = 'AO-POS'`,
        /^position_exits row exit_id=\d+ is append-only: cannot be deleted/,
      ],
      [
        sql`update exit_attempts set success = true where position_id = 'AO-POS'`,
        /^exit_attempts row attempt_id=\d+ is append-only: cannot be updated/,
      ],
      [
        sql`delete from exit_attempts where position_id = 'AO-POS'`,
        /^exit_attempts row attempt_id=\d+ is append-only: cannot be deleted/,
      ],
      [
        sql`update positions set quantity = 9 where position_id = 'AO-POS' and not row_current_ind`,
        /^positions row id=\d+ \(position_id=AO-POS\) is a closed version: history is never updated/,
      ],
      [
        sql`update positions set realized_pnl = 100 where position_id = 'AO-POS' and row_current_ind`,
        /^positions row id=\d+ \(position_id=AO-POS\) is immutable: realized_pnl/,
      ],
      [sql`delete from positions where position_id = 'AO-POS'`, /cannot be deleted: history is never deleted/],
      [sql`delete from markets where market_id = 'AO'`, /^markets row id=\d+ \(market_id=AO\) cannot be deleted/],
    ];
    for (const [statement, pattern] of attempts) {
      const error = translateDatabaseError(await sqlError(db, statement));
      expect(error).toBeInstanceOf(ConstraintViolationError);
      expect((error as Error).message).toMatch(pattern);
    }
    expect(await countTradingRows(db)).toEqual(before);
    // and a settled position takes no more monitoring updates
    await expectRejectedUnchanged(
      db,
      () => updatePosition(db.db, 'AO-POS', { current_price: '0.1' }),
      PositionStateError,
      /positions position_id=AO-POS is settled: cannot be updated/,
    );
  });
});
