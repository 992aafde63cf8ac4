/**
 * The closed sets of the trading schema, one `as const` list per CHECK (... IN (...)) of
 * migration 0001, with the derived union types the table interfaces use. Validators at the
 * boundaries (zod) should be built from these lists.
 */

/** Sports/leagues (teams.sport, events.sport, game_states.sport). */
export const SPORTS = ['nfl', 'ncaaf', 'nba', 'ncaab', 'mlb', 'nhl', 'wnba', 'soccer', 'tennis', 'ufc'] as const;
export type Sport = (typeof SPORTS)[number];

/** players.status (our choice). */
export const PLAYER_STATUSES = ['active', 'inactive', 'injured', 'retired'] as const;
export type PlayerStatus = (typeof PLAYER_STATUSES)[number];

/** platforms.platform_type. */
export const PLATFORM_TYPES = ['trading', 'data_source', 'hybrid'] as const;
export type PlatformType = (typeof PLATFORM_TYPES)[number];

/** platforms.auth_method. */
export const AUTH_METHODS = ['rsa_pss', 'api_key', 'oauth', 'metamask', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** platforms.status. */
export const PLATFORM_STATUSES = ['active', 'inactive', 'maintenance'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];

/** series.category and events.category. */
export const MARKET_CATEGORIES = ['sports', 'politics', 'entertainment', 'economics', 'weather', 'other'] as const;
export type MarketCategory = (typeof MARKET_CATEGORIES)[number];

/** series.frequency. */
export const SERIES_FREQUENCIES = ['daily', 'weekly', 'monthly', 'event', 'once'] as const;
export type SeriesFrequency = (typeof SERIES_FREQUENCIES)[number];

/** events.status. */
export const EVENT_STATUSES = ['scheduled', 'live', 'final', 'cancelled', 'postponed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** markets.market_type. */
export const MARKET_TYPES = ['binary', 'categorical', 'scalar'] as const;
export type MarketType = (typeof MARKET_TYPES)[number];

/** markets.status. */
export const MARKET_STATUSES = ['open', 'closed', 'settled', 'halted'] as const;
export type MarketStatus = (typeof MARKET_STATUSES)[number];

/** game_states.possession. */
export const POSSESSIONS = ['home', 'away'] as const;
export type Possession = (typeof POSSESSIONS)[number];

/** game_states.status. */
export const GAME_STATUSES = [
  'scheduled',
  'pregame',
  'live',
  'halftime',
  'final',
  'delayed',
  'postponed',
  'cancelled',
] as const;
export type GameStatus = (typeof GAME_STATUSES)[number];

/** probability_models.approach. */
export const MODEL_APPROACHES = ['elo', 'ensemble', 'ml', 'hybrid', 'regression', 'neural_net', 'baseline'] as const;
export type ModelApproach = (typeof MODEL_APPROACHES)[number];

/** probability_models.status. */
export const MODEL_STATUSES = ['draft', 'training', 'validating', 'active', 'deprecated'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** strategies.approach. */
export const STRATEGY_APPROACHES = ['value', 'arbitrage', 'momentum', 'mean_reversion'] as const;
export type StrategyApproach = (typeof STRATEGY_APPROACHES)[number];

/** strategies.status. */
export const STRATEGY_STATUSES = ['draft', 'testing', 'active', 'inactive', 'deprecated'] as const;
export type StrategyStatus = (typeof STRATEGY_STATUSES)[number];

/** Contract side (edges.side, trades.contract_side, positions.side). */
export const CONTRACT_SIDES = ['yes', 'no'] as const;
export type ContractSide = (typeof CONTRACT_SIDES)[number];

/** edges.confidence_level and trades.confidence_at_execution. */
export const CONFIDENCE_LEVELS = ['high', 'medium', 'low'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

/** edges.recommended_action. */
export const RECOMMENDED_ACTIONS = ['auto_execute', 'alert', 'ignore'] as const;
export type RecommendedAction = (typeof RECOMMENDED_ACTIONS)[number];

/** trades.side. */
export const TRADE_SIDES = ['buy', 'sell'] as const;
export type TradeSide = (typeof TRADE_SIDES)[number];

/** trades.order_type. */
export const TRADE_ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit'] as const;
export type TradeOrderType = (typeof TRADE_ORDER_TYPES)[number];

/** exit_attempts.order_type. */
export const EXIT_ORDER_TYPES = ['market', 'limit'] as const;
export type ExitOrderType = (typeof EXIT_ORDER_TYPES)[number];

/** trades.trade_source. */
export const TRADE_SOURCES = ['automated', 'manual'] as const;
export type TradeSource = (typeof TRADE_SOURCES)[number];

/** trades.execution_environment and positions.execution_environment. */
export const EXECUTION_ENVIRONMENTS = ['live', 'paper', 'backtest'] as const;
export type ExecutionEnvironment = (typeof EXECUTION_ENVIRONMENTS)[number];

/** positions.status. */
export const POSITION_STATUSES = ['open', 'closed', 'settled'] as const;
export type PositionStatus = (typeof POSITION_STATUSES)[number];

/** Exit conditions (positions.exit_reason, position_exits.exit_condition, exit_attempts.exit_condition). */
export const EXIT_CONDITIONS = [
  'stop_loss',
  'circuit_breaker',
  'trailing_stop',
  'time_based_urgent',
  'liquidity_dried_up',
  'profit_target',
  'partial_exit_target',
  'early_exit',
  'edge_disappeared',
  'rebalance',
] as const;
export type ExitCondition = (typeof EXIT_CONDITIONS)[number];

/** Exit urgency (positions.exit_priority, position_exits.exit_priority, exit_attempts.priority_level). */
export const EXIT_PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type ExitPriority = (typeof EXIT_PRIORITIES)[number];

/** settlements.calculation_method. */
export const SETTLEMENT_METHODS = ['api_sourced', 'trade_based', 'manual'] as const;
export type SettlementMethod = (typeof SETTLEMENT_METHODS)[number];
