import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { translateDatabaseError } from '../../../src/db/constraint-errors.js';
import { ConstraintViolationError } from '../../../src/db/errors.js';
import {
  InvalidTradingInputError,
  StatusTransitionError,
  TradingRecordNotFoundError,
} from '../../../src/entities/trading/errors.js';
import { createEvent, getEvent, listEvents, updateEvent } from '../../../src/entities/trading/events.js';
import { createPlatform, getPlatform, listPlatforms, updatePlatform } from '../../../src/entities/trading/platforms.js';
import {
  findProbabilityModel,
  getProbabilityModel,
  listProbabilityModels,
  recordModelValidation,
  registerProbabilityModel,
  setProbabilityModelStatus,
} from '../../../src/entities/trading/probability-models.js';
import { createSeries, getSeries, listSeries, updateSeries } from '../../../src/entities/trading/series.js';
import {
  findStrategy,
  getStrategy,
  listStrategies,
  registerStrategy,
  setStrategyStatus,
} from '../../../src/entities/trading/strategies.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { seedTeams } from '../../support/fixtures.js';
import { T, expectRejectedUnchanged, sqlError } from './trading-fixtures.js';

describeEachEngine('trading catalogue: platforms, series, events, models, strategies', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(() => db.dispose());

  it('platforms: create, read, update in place, list (with the seed rows)', async () => {
    const created = await createPlatform(db.db, {
      platform_id: 'polymarket',
      platform_type: 'trading',
      display_name: 'Polymarket',
      auth_method: 'metamask',
      fees_structure: { taker: '0.02' },
    });
    expect(created).toMatchObject({ platform_id: 'polymarket', status: 'active', fees_structure: { taker: '0.02' } });
    const updated = await updatePlatform(db.db, 'polymarket', { status: 'maintenance', api_version: 'v1' });
    expect(updated).toMatchObject({ status: 'maintenance', api_version: 'v1', display_name: 'Polymarket' });
    expect((await getPlatform(db.db, 'kalshi'))?.auth_method).toBe('rsa_pss');
    expect((await listPlatforms(db.db)).map((p) => p.platform_id)).toContain('polymarket');
    await expectRejectedUnchanged(
      db,
      () => updatePlatform(db.db, 'nope', { status: 'inactive' }),
      TradingRecordNotFoundError,
      /platforms platform_id=nope does not exist/,
    );
    await expectRejectedUnchanged(
      db,
      () => createPlatform(db.db, { platform_id: 'kalshi', platform_type: 'trading', display_name: 'again' }),
      ConstraintViolationError,
      /platforms platform_id=kalshi/,
      /platform_id must be unique/,
    );
  });

  it('series: create, update in place (updated_at moves), list by platform and category', async () => {
    const created = await createSeries(db.db, {
      series_id: 'KXNFLGAME',
      platform_id: 'kalshi',
      external_id: 'KXNFLGAME',
      category: 'sports',
      subcategory: 'nfl',
      title: 'NFL games',
      frequency: 'weekly',
    });
    const updated = await updateSeries(db.db, 'KXNFLGAME', { title: 'NFL game winners', metadata: { league: 'NFL' } });
    expect(updated.title).toBe('NFL game winners');
    expect(updated.metadata).toEqual({ league: 'NFL' });
    expect(updated.updated_at.getTime()).toBeGreaterThanOrEqual(created.updated_at.getTime());
    expect((await getSeries(db.db, 'KXNFLGAME'))?.frequency).toBe('weekly');
    expect(await listSeries(db.db, { platform_id: 'kalshi', category: 'sports' })).toHaveLength(1);
    expect(await listSeries(db.db, { category: 'politics' })).toHaveLength(0);
    await expectRejectedUnchanged(
      db,
      () => createSeries(db.db, { series_id: 'S2', platform_id: 'nowhere', external_id: 'x', category: 'sports', title: 't' }),
      ConstraintViolationError,
      /series series_id=S2/,
      /platform_id must reference an existing platform/,
    );
  });

  it('events: create with teams and times, update, list', async () => {
    const teams = await seedTeams(db, ['KC', 'BUF']);
    const event = await createEvent(db.db, {
      event_id: 'EV-KC-BUF',
      platform_id: 'kalshi',
      series_id: 'KXNFLGAME',
      external_id: 'KXNFLGAME-24JAN21KCBUF',
      category: 'sports',
      title: 'KC at BUF',
      start_time: '2024-01-21T23:30:00Z',
      status: 'scheduled',
      home_team_id: teams.get('BUF')!,
      away_team_id: teams.get('KC')!,
      sport: 'nfl',
      season: 2023,
      week: 'Division',
      is_playoff: true,
    });
    expect(event.start_time).toEqual(T('2024-01-21T23:30:00Z'));
    const final = await updateEvent(db.db, 'EV-KC-BUF', {
      status: 'final',
      end_time: T('2024-01-22T03:00:00Z'),
      home_score: 24,
      away_score: 27,
      result: { winner: 'KC' },
    });
    expect(final).toMatchObject({ status: 'final', home_score: 24, away_score: 27, result: { winner: 'KC' } });
    expect((await getEvent(db.db, 'EV-KC-BUF'))?.week).toBe('Division');
    expect((await listEvents(db.db, { series_id: 'KXNFLGAME' })).map((e) => e.event_id)).toEqual(['EV-KC-BUF']);
    await expectRejectedUnchanged(db, () => updateEvent(db.db, 'nope', { status: 'live' }), TradingRecordNotFoundError);
    // only the end moves: the order is checked by the database, and the message names the key and the rule
    await expectRejectedUnchanged(
      db,
      () => updateEvent(db.db, 'EV-KC-BUF', { end_time: '2024-01-20T00:00:00Z' }),
      ConstraintViolationError,
      /events event_id=EV-KC-BUF/,
      /end_time must not be before start_time/,
    );
  });

  it('probability models: register, find, lifecycle through the transition table, validation metrics', async () => {
    const model = await registerProbabilityModel(db.db, {
      model_name: 'elo_nfl',
      model_version: 'v1.1',
      approach: 'elo',
      domain: 'nfl',
      config: { k: 20, home_advantage: 65 },
      training_start_date: '2002-09-05',
      training_end_date: '2023-02-12',
    });
    expect(model).toMatchObject({ status: 'draft', config: { k: 20, home_advantage: 65 }, training_end_date: '2023-02-12' });
    expect((await findProbabilityModel(db.db, 'elo_nfl', 'v1.1'))?.model_id).toBe(model.model_id);
    await setProbabilityModelStatus(db.db, model.model_id, 'training');
    await setProbabilityModelStatus(db.db, model.model_id, 'validating');
    const active = await setProbabilityModelStatus(db.db, model.model_id, 'active', { at: T('2024-02-01T00:00:00Z') });
    expect(active.activated_at).toEqual(T('2024-02-01T00:00:00Z'));
    expect((await listProbabilityModels(db.db, { status: 'active' })).map((m) => m.model_id)).toEqual([model.model_id]);
    const validated = await recordModelValidation(db.db, model.model_id, { validation_accuracy: 0.655, validation_calibration: '0.02' });
    expect(validated).toMatchObject({ validation_accuracy: '0.6550', validation_calibration: '0.0200' });
    await expectRejectedUnchanged(
      db,
      () => setProbabilityModelStatus(db.db, model.model_id, 'training'),
      StatusTransitionError,
      /probability_models model_id=\d+: cannot change status from active to training \(allowed: deprecated\)/,
    );
    expect((await getProbabilityModel(db.db, model.model_id))?.status).toBe('active');
    const deprecated = await setProbabilityModelStatus(db.db, model.model_id, 'deprecated', { at: T('2024-03-01T00:00:00Z') });
    expect(deprecated.deactivated_at).toEqual(T('2024-03-01T00:00:00Z'));
    await expectRejectedUnchanged(db, () => setProbabilityModelStatus(db.db, 99_999, 'active'), TradingRecordNotFoundError);
    expect((await getProbabilityModel(db.db, model.model_id))?.status).toBe('deprecated');
  });

  it('strategies: register, find, lifecycle with pause and resume', async () => {
    const strategy = await registerStrategy(db.db, {
      strategy_name: 'halftime_entry',
      strategy_version: 'v1.0',
      approach: 'momentum',
      config: { min_edge: '0.05' },
    });
    expect((await findStrategy(db.db, 'halftime_entry', 'v1.0'))?.strategy_id).toBe(strategy.strategy_id);
    for (const status of ['testing', 'active', 'inactive', 'active'] as const) {
      await setStrategyStatus(db.db, strategy.strategy_id, status);
    }
    expect((await getStrategy(db.db, strategy.strategy_id))?.status).toBe('active');
    expect(await listStrategies(db.db, { status: 'active' })).toHaveLength(1);
    await expectRejectedUnchanged(
      db,
      () => setStrategyStatus(db.db, strategy.strategy_id, 'draft'),
      StatusTransitionError,
      /strategies strategy_id=\d+: cannot change status from active to draft/,
    );
    expect((await getStrategy(db.db, strategy.strategy_id))?.status).toBe('active');
  });

  it('probability_models and strategies are immutable versions: frozen columns never change', async () => {
    const model = await registerProbabilityModel(db.db, {
      model_name: 'frozen',
      model_version: 'v1',
      approach: 'ml',
      config: { a: 1 },
    });
    const strategy = await registerStrategy(db.db, {
      strategy_name: 'frozen',
      strategy_version: 'v1',
      approach: 'value',
      config: { a: 1 },
    });
    const modelId = model.model_id;
    const strategyId = strategy.strategy_id;
    for (const [statement, pattern] of [
      [
        sql`update probability_models set config = '{"a": 2}' where model_id = ${modelId}`,
        /probability_models row model_id=\d+ is immutable: config/,
      ],
      [sql`update probability_models set model_version = 'v2' where model_id = ${modelId}`, /is immutable: model_version/],
      [
        sql`update strategies set approach = 'arbitrage' where strategy_id = ${strategyId}`,
        /strategies row strategy_id=\d+ is immutable: approach/,
      ],
      [sql`update strategies set domain = 'nba' where strategy_id = ${strategyId}`, /is immutable: domain/],
    ] as const) {
      const error = translateDatabaseError(await sqlError(db, statement));
      expect(error).toBeInstanceOf(ConstraintViolationError);
      expect((error as Error).message).toMatch(pattern);
    }
    expect((await getProbabilityModel(db.db, model.model_id))?.config).toEqual({ a: 1 });
    expect((await getStrategy(db.db, strategy.strategy_id))?.approach).toBe('value');
    // a changed config is registered as a new version; the same name and version twice is refused
    await registerProbabilityModel(db.db, { model_name: 'frozen', model_version: 'v2', approach: 'ml', config: { a: 2 } });
    await expectRejectedUnchanged(
      db,
      () => registerProbabilityModel(db.db, { model_name: 'frozen', model_version: 'v1', approach: 'ml', config: { a: 3 } }),
      ConstraintViolationError,
      /probability_models model_name=frozen, model_version=v1/,
      /a \(model_name, model_version\) pair must be unique/,
    );
    await expectRejectedUnchanged(
      db,
      () => registerStrategy(db.db, { strategy_name: 'frozen', strategy_version: 'v1', approach: 'value', config: {} }),
      ConstraintViolationError,
      /strategy_name, strategy_version\) pair must be unique/,
    );
    // the mutable lifecycle columns still change
    await setStrategyStatus(db.db, strategy.strategy_id, 'deprecated');
  });

  it('rejects bad catalogue input before the database, naming table, key and field', async () => {
    const error = await expectRejectedUnchanged(
      db,
      () =>
        registerProbabilityModel(db.db, {
          model_name: 'bad',
          model_version: 'v1',
          approach: 'astrology' as 'elo',
          config: [] as unknown as Record<string, never>,
          validation_accuracy: 1.2,
        }),
      InvalidTradingInputError,
      /^probability_models model_name=bad, model_version=v1: rejected, nothing was written/,
      /approach "astrology": must be one of elo, ensemble/,
      /config \[\]: must be a JSON object/,
      /validation_accuracy 1.2: must be a probability in \[0, 1\]/,
    );
    expect(error.problems.map((p) => p.field)).toEqual(['approach', 'config', 'validation_accuracy']);
    // cross-field rules are checked once every field is valid
    await expectRejectedUnchanged(
      db,
      () =>
        registerProbabilityModel(db.db, {
          model_name: 'bad',
          model_version: 'v1',
          approach: 'elo',
          config: {},
          training_start_date: '2024-02-01',
          training_end_date: '2024-01-01',
        }),
      InvalidTradingInputError,
      /training_end_date "2024-01-01": must not be before training_start_date/,
    );
    await expectRejectedUnchanged(
      db,
      () => createPlatform(db.db, { platform_id: 'x'.repeat(51), platform_type: 'exchange' as 'trading', display_name: 'X' }),
      InvalidTradingInputError,
      /platform_id "x{20,}.*": must be at most 50 characters/,
      /platform_type "exchange": must be one of trading, data_source, hybrid/,
    );
    await expectRejectedUnchanged(
      db,
      () =>
        createEvent(db.db, {
          event_id: 'E',
          platform_id: 'kalshi',
          external_id: 'E',
          category: 'sports',
          title: 'E',
          surprise: 1,
        } as never),
      InvalidTradingInputError,
      /events event_id=E: .*surprise 1: is not a field accepted here/,
    );
  });
});
