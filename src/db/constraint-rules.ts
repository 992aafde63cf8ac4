/**
 * Every named rule of the migrations (CHECK, UNIQUE, primary key, foreign key, EXCLUDE,
 * partial unique index and guard trigger), keyed by the name PostgreSQL reports in an
 * error's `constraint` field, with the rule in words. A foreign key's sentence covers both
 * directions: the child's value must exist, and a referenced parent cannot be deleted.
 *
 * The guard triggers raise their errors with `CONSTRAINT = <trigger name>`, so they are
 * looked up here like constraints; their SQLSTATEs and messages are in
 * {@link TRIGGER_ERRORS}.
 */
export const CONSTRAINT_RULES: Readonly<Record<string, string>> = Object.freeze({
  // teams
  teams_pkey: 'team_id must be unique',
  teams_sport_code_key: 'a team code must be unique within its sport',
  teams_sport_check: 'sport must be one of nfl, ncaaf, nba, ncaab, mlb, nhl, wnba, soccer, tennis, ufc',
  teams_external_ids_check: 'external_ids must be a JSON object of source to id',

  // players
  players_pkey: 'player_id must be unique',
  players_external_id_key: 'a player external_id must be unique',
  players_team_id_fkey: 'team_id must reference an existing team (a referenced team cannot be deleted)',
  players_status_check: 'status must be one of active, inactive, injured, retired',
  players_external_ids_check: 'external_ids must be a JSON object of source to id',

  // platforms
  platforms_pkey: 'platform_id must be unique',
  platforms_platform_type_check: 'platform_type must be one of trading, data_source, hybrid',
  platforms_auth_method_check: 'auth_method must be one of rsa_pss, api_key, oauth, metamask, none',
  platforms_status_check: 'status must be one of active, inactive, maintenance',

  // series
  series_pkey: 'series_id must be unique',
  series_platform_id_fkey: 'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  series_platform_id_external_id_key: 'a series external_id must be unique per platform',
  series_category_check: 'category must be one of sports, politics, entertainment, economics, weather, other',
  series_frequency_check: 'frequency must be one of daily, weekly, monthly, event, once',

  // events
  events_pkey: 'event_id must be unique',
  events_platform_id_fkey: 'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  events_series_id_fkey: 'series_id must reference an existing series',
  events_home_team_id_fkey: 'home_team_id must reference an existing team (a referenced team cannot be deleted)',
  events_away_team_id_fkey: 'away_team_id must reference an existing team (a referenced team cannot be deleted)',
  events_platform_id_external_id_key: 'an event external_id must be unique per platform',
  events_category_check: 'category must be one of sports, politics, entertainment, economics, weather, other',
  events_status_check: 'status must be one of scheduled, live, final, cancelled, postponed',
  events_end_time_check: 'end_time must not be before start_time',
  events_sport_check: 'sport must be one of nfl, ncaaf, nba, ncaab, mlb, nhl, wnba, soccer, tennis, ufc',
  events_home_score_check: 'home_score must be >= 0',
  events_away_score_check: 'away_score must be >= 0',

  // markets (SCD2)
  markets_pkey: 'id must be unique',
  markets_platform_id_fkey: 'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  markets_event_id_fkey: 'event_id must reference an existing event (a referenced event cannot be deleted)',
  markets_market_type_check: 'market_type must be one of binary, categorical, scalar',
  markets_yes_price_check: 'yes_price must be a probability in [0, 1]',
  markets_no_price_check: 'no_price must be a probability in [0, 1]',
  markets_spread_check: 'spread must be in [0, 1]',
  markets_volume_check: 'volume must be >= 0',
  markets_open_interest_check: 'open_interest must be >= 0',
  markets_status_check: 'status must be one of open, closed, settled, halted',
  markets_settlement_value_check: 'settlement_value must be in [0, 1]',
  markets_settled_value_check: 'a settled market must have a settlement_value',
  markets_row_current_ind_check: 'a version is current exactly when row_end_ts is null',
  markets_row_end_ts_check: 'row_end_ts must be after row_start_ts (no zero-length version)',
  markets_no_overlap_excl: "a market's versions must not overlap in time",
  markets_current_market_id_key: 'at most one current version per market_id',
  markets_current_platform_id_external_id_key: 'at most one current market per (platform_id, external_id)',
  markets_history_update_guard:
    'market history is never updated: only closing the current version (row_current_ind, row_end_ts) is allowed',
  markets_history_delete_guard: 'market versions are never deleted',

  // game_states (SCD2)
  game_states_pkey: 'id must be unique',
  game_states_platform_id_fkey: 'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  game_states_event_id_fkey: 'event_id must reference an existing event (a referenced event cannot be deleted)',
  game_states_home_team_id_fkey: 'home_team_id must reference an existing team (a referenced team cannot be deleted)',
  game_states_away_team_id_fkey: 'away_team_id must reference an existing team (a referenced team cannot be deleted)',
  game_states_sport_check: 'sport must be one of nfl, ncaaf, nba, ncaab, mlb, nhl, wnba, soccer, tennis, ufc',
  game_states_home_score_check: 'home_score must be >= 0',
  game_states_away_score_check: 'away_score must be >= 0',
  game_states_period_check: 'period must be >= 0',
  game_states_clock_seconds_check: 'clock_seconds must be >= 0',
  game_states_possession_check: 'possession must be home or away',
  game_states_status_check:
    'status must be one of scheduled, pregame, live, halftime, final, delayed, postponed, cancelled',
  game_states_row_current_ind_check: 'a version is current exactly when row_end_ts is null',
  game_states_row_end_ts_check: 'row_end_ts must be after row_start_ts (no zero-length version)',
  game_states_no_overlap_excl: "a game's versions must not overlap in time",
  game_states_current_platform_id_external_game_id_key:
    'at most one current version per (platform_id, external_game_id)',
  game_states_history_update_guard:
    'game state history is never updated: only closing the current version (row_current_ind, row_end_ts) is allowed',
  game_states_history_delete_guard: 'game state versions are never deleted',

  // probability_models
  probability_models_pkey: 'model_id must be unique',
  probability_models_model_name_model_version_key: 'a (model_name, model_version) pair must be unique',
  probability_models_approach_check:
    'approach must be one of elo, ensemble, ml, hybrid, regression, neural_net, baseline',
  probability_models_training_end_date_check: 'training_end_date must not be before training_start_date',
  probability_models_status_check: 'status must be one of draft, training, validating, active, deprecated',
  probability_models_validation_accuracy_check: 'validation_accuracy must be in [0, 1]',
  probability_models_validation_calibration_check: 'validation_calibration must be in [0, 1]',
  probability_models_immutable_guard:
    'a model version is immutable: model_name, model_version, approach, domain and config cannot change',

  // strategies
  strategies_pkey: 'strategy_id must be unique',
  strategies_strategy_name_strategy_version_key: 'a (strategy_name, strategy_version) pair must be unique',
  strategies_platform_id_fkey: 'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  strategies_approach_check: 'approach must be one of value, arbitrage, momentum, mean_reversion',
  strategies_status_check: 'status must be one of draft, testing, active, inactive, deprecated',
  strategies_immutable_guard:
    'a strategy version is immutable: strategy_name, strategy_version, approach, domain and config cannot change',

  // edges (SCD2)
  edges_pkey: 'id must be unique',
  edges_market_row_id_fkey: 'market_row_id must reference an existing market version',
  edges_game_state_row_id_fkey: 'game_state_row_id must reference an existing game state version',
  edges_model_id_fkey: 'model_id must reference an existing probability model (a referenced model cannot be deleted)',
  edges_strategy_id_fkey: 'strategy_id must reference an existing strategy (a referenced strategy cannot be deleted)',
  edges_side_check: 'side must be yes or no',
  edges_true_win_probability_check: 'true_win_probability must be a probability in [0, 1]',
  edges_market_implied_probability_check: 'market_implied_probability must be a probability in [0, 1]',
  edges_market_price_check: 'market_price must be a probability in [0, 1]',
  edges_expected_value_check: 'expected_value must be in [-1, 1]',
  edges_confidence_level_check: 'confidence_level must be one of high, medium, low',
  edges_recommended_action_check: 'recommended_action must be one of auto_execute, alert, ignore',
  edges_row_current_ind_check: 'a version is current exactly when row_end_ts is null',
  edges_row_end_ts_check: 'row_end_ts must be after row_start_ts (no zero-length version)',
  edges_no_overlap_excl: "an edge's versions must not overlap in time",
  edges_current_edge_id_key: 'at most one current version per edge_id',
  edges_current_market_id_side_model_id_strategy_id_key:
    'at most one current edge per (market_id, side, model_id, strategy_id), a null strategy counting as a value',
  edges_history_update_guard:
    'edge history is never updated: only closing the current version (row_current_ind, row_end_ts) is allowed',
  edges_history_delete_guard: 'edge versions are never deleted',

  // positions (SCD2)
  positions_pkey: 'id must be unique',
  positions_initial_order_id_fkey:
    'initial_order_id must be the order_id of a trade recorded in the same transaction or before',
  positions_platform_id_fkey: 'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  positions_market_row_id_fkey: 'market_row_id must reference an existing market version',
  positions_strategy_id_fkey: 'strategy_id must reference an existing strategy (a referenced strategy cannot be deleted)',
  positions_model_id_fkey: 'model_id must reference an existing probability model (a referenced model cannot be deleted)',
  positions_side_check: 'side must be yes or no',
  positions_quantity_check: 'quantity must be >= 0',
  positions_entry_price_check: 'entry_price must be a probability in [0, 1]',
  positions_current_price_check: 'current_price must be a probability in [0, 1]',
  positions_target_price_check: 'target_price must be a probability in [0, 1]',
  positions_stop_loss_price_check: 'stop_loss_price must be a probability in [0, 1]',
  positions_trailing_stop_state_check:
    'trailing_stop_state must be a JSON object whose current_stop_price, if set, is a number in [0, 1]',
  positions_exit_price_check: 'exit_price must be a probability in [0, 1]',
  positions_fees_check: 'fees must be >= 0',
  positions_status_check: 'status must be one of open, closed, settled',
  positions_exit_reason_check:
    'exit_reason must be one of stop_loss, circuit_breaker, trailing_stop, time_based_urgent, liquidity_dried_up, profit_target, partial_exit_target, early_exit, edge_disappeared, rebalance',
  positions_exit_priority_check: 'exit_priority must be one of CRITICAL, HIGH, MEDIUM, LOW',
  positions_calculated_probability_check: 'calculated_probability must be a probability in [0, 1]',
  positions_market_price_at_entry_check: 'market_price_at_entry must be a probability in [0, 1]',
  positions_edge_at_entry_check: 'edge_at_entry must be in [-1, 1]',
  positions_execution_environment_check: 'execution_environment must be one of live, paper, backtest',
  positions_open_quantity_check: 'an open position must hold quantity > 0',
  positions_open_exit_time_check: 'exit_time must be set exactly when the position is not open',
  positions_exit_time_check: 'exit_time must not be before entry_time',
  positions_row_current_ind_check: 'a version is current exactly when row_end_ts is null',
  positions_row_end_ts_check: 'row_end_ts must be after row_start_ts (no zero-length version)',
  positions_no_overlap_excl: "a position's versions must not overlap in time",
  positions_current_position_id_key: 'at most one current version per position_id',
  positions_history_update_guard:
    'position history is never updated: only closing the current version (row_current_ind, row_end_ts) and last_check_time are allowed',
  positions_history_delete_guard: 'position versions are never deleted',

  // trades (append-only)
  trades_pkey: 'trade_id must be unique',
  trades_order_id_key: 'an order_id is recorded at most once',
  trades_platform_id_fkey: 'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  trades_market_row_id_fkey: 'market_row_id must reference an existing market version',
  trades_position_row_id_fkey: 'position_row_id must reference an existing position version',
  trades_edge_row_id_fkey: 'edge_row_id must reference an existing edge version',
  trades_strategy_id_fkey: 'strategy_id must reference an existing strategy (a referenced strategy cannot be deleted)',
  trades_model_id_fkey: 'model_id must reference an existing probability model (a referenced model cannot be deleted)',
  trades_side_check: 'side must be buy or sell',
  trades_contract_side_check: 'contract_side must be yes or no',
  trades_order_type_check: 'order_type must be one of market, limit, stop, stop_limit',
  trades_price_check: 'price must be a probability in [0, 1]',
  trades_quantity_check: 'quantity must be > 0',
  trades_fees_check: 'fees must be >= 0',
  trades_calculated_probability_check: 'calculated_probability must be a probability in [0, 1]',
  trades_market_price_check: 'market_price must be a probability in [0, 1]',
  trades_edge_at_execution_check: 'edge_at_execution must be in [-1, 1]',
  trades_confidence_at_execution_check: 'confidence_at_execution must be one of high, medium, low',
  trades_trade_source_check: 'trade_source must be automated or manual',
  trades_execution_environment_check: 'execution_environment must be one of live, paper, backtest',
  trades_order_id_required_check: 'order_id is required except for backtest trades',
  trades_append_only_guard: 'trades are append-only: rows are never updated or deleted',

  // settlements (append-only)
  settlements_pkey: 'settlement_id must be unique',
  settlements_market_id_key: 'a market is settled at most once',
  settlements_platform_id_external_settlement_id_key: 'an external_settlement_id must be unique per platform',
  settlements_platform_id_fkey: 'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  settlements_market_row_id_fkey: 'market_row_id must reference an existing market version',
  settlements_payout_check: 'payout must be in [0, 1] per contract',
  settlements_calculation_method_check: 'calculation_method must be one of api_sourced, trade_based, manual',
  settlements_api_sourced_check:
    'an api_sourced settlement needs external_settlement_id, settlement_timestamp and api_response',
  settlements_append_only_guard: 'settlements are append-only: rows are never updated or deleted',

  // position_exits (append-only)
  position_exits_pkey: 'exit_id must be unique',
  position_exits_exit_trade_id_key: 'a trade carries out at most one exit',
  position_exits_position_row_id_fkey: 'position_row_id must reference an existing position version',
  position_exits_exit_trade_id_fkey: 'exit_trade_id must reference an existing trade',
  position_exits_exit_condition_check:
    'exit_condition must be one of stop_loss, circuit_breaker, trailing_stop, time_based_urgent, liquidity_dried_up, profit_target, partial_exit_target, early_exit, edge_disappeared, rebalance',
  position_exits_exit_priority_check: 'exit_priority must be one of CRITICAL, HIGH, MEDIUM, LOW',
  position_exits_quantity_exited_check: 'quantity_exited must be > 0',
  position_exits_exit_price_check: 'exit_price must be a probability in [0, 1]',
  position_exits_append_only_guard: 'position exits are append-only: rows are never updated or deleted',

  // exit_attempts (append-only)
  exit_attempts_pkey: 'attempt_id must be unique',
  exit_attempts_position_row_id_fkey: 'position_row_id must reference an existing position version',
  exit_attempts_exit_condition_check:
    'exit_condition must be one of stop_loss, circuit_breaker, trailing_stop, time_based_urgent, liquidity_dried_up, profit_target, partial_exit_target, early_exit, edge_disappeared, rebalance',
  exit_attempts_priority_level_check: 'priority_level must be one of CRITICAL, HIGH, MEDIUM, LOW',
  exit_attempts_order_type_check: 'order_type must be market or limit',
  exit_attempts_limit_price_check: 'limit_price must be a probability in [0, 1]',
  exit_attempts_fill_price_check: 'fill_price must be a probability in [0, 1]',
  exit_attempts_quantity_check: 'quantity must be > 0',
  exit_attempts_attempt_number_check: 'attempt_number must be > 0',
  exit_attempts_timeout_seconds_check: 'timeout_seconds must be > 0',
  exit_attempts_limit_order_price_check: 'limit_price must be set exactly for limit orders',
  exit_attempts_success_fill_check: 'a successful attempt needs an order_id and a fill_price',
  exit_attempts_append_only_guard: 'exit attempts are append-only: rows are never updated or deleted',

  // account_balance (SCD2)
  account_balance_pkey: 'id must be unique',
  account_balance_platform_id_fkey:
    'platform_id must reference an existing platform (a referenced platform cannot be deleted)',
  account_balance_balance_check: 'balance must be >= 0',
  account_balance_row_current_ind_check: 'a version is current exactly when row_end_ts is null',
  account_balance_row_end_ts_check: 'row_end_ts must be after row_start_ts (no zero-length version)',
  account_balance_no_overlap_excl: "a balance's versions must not overlap in time",
  account_balance_current_platform_id_currency_key: 'at most one current balance per (platform_id, currency)',
  account_balance_history_update_guard:
    'balance history is never updated: only closing the current version (row_current_ind, row_end_ts) is allowed',
  account_balance_history_delete_guard: 'balance versions are never deleted',

  // feature_definitions (migration 0002)
  feature_definitions_name_version_key: 'a feature name@version is registered once (a change is a new version)',
  feature_definitions_id_entity_type_key: 'feature_id and entity_type must be unique together',
  feature_definitions_feature_name_check: 'feature_name must be lower_snake_case, starting with a letter',
  feature_definitions_feature_version_check: 'feature_version must be letters, digits, . _ -',
  feature_definitions_entity_type_check: 'entity_type must be one of team, player, event, market',
  feature_definitions_data_type_check: 'data_type must be one of float, integer, boolean, probability',
  feature_definitions_status_check: 'status must be active or deprecated',
  feature_definitions_immutable: 'a registered feature version is immutable except its status',
  feature_definitions_no_delete: 'feature definitions are never deleted (deprecate them)',

  // features_historical (migration 0002)
  features_historical_pkey: 'id and timestamp must be unique',
  features_historical_value_key:
    'one value per (feature, entity, timestamp, available_at): a correction needs a later available_at',
  features_historical_feature_entity_fkey: 'the value must name a registered feature of its entity type',
  features_historical_team_id_fkey: 'team_id must reference an existing team (a referenced team cannot be deleted)',
  features_historical_player_id_fkey: 'player_id must reference an existing player (a referenced player cannot be deleted)',
  features_historical_event_id_fkey: 'event_id must reference an existing event (a referenced event cannot be deleted)',
  features_historical_market_id_fkey: 'market_id must name an existing market',
  features_historical_one_entity_check: 'exactly one of team_id, player_id, event_id, market_id must be set',
  features_historical_entity_type_check: "the entity column set must match the feature's entity_type",
  features_historical_finite_value_check: 'feature_value must be a finite number (not NaN or Infinity)',
  features_historical_append_only: 'feature history is append-only: a correction is a new row',

  // training_datasets, model_training_runs (migration 0003)
  training_datasets_name_version_key: 'a dataset name@version is registered once',
  training_datasets_row_count_check: 'row_count must be >= 0',
  training_datasets_dates_check: 'end_date must not be before start_date',
  training_datasets_start_event_id_fkey: 'start_event_id must reference an existing event',
  training_datasets_end_event_id_fkey: 'end_event_id must reference an existing event',
  training_datasets_metadata_check: 'metadata must hold file_path, sha256, audit and spec',
  training_datasets_immutable: 'a registered dataset version is immutable',
  model_training_runs_model_id_fkey: 'model_id must reference a registered probability model',
  model_training_runs_dataset_id_fkey: 'dataset_id must reference a registered dataset',
  model_training_runs_status_check: 'status must be running, completed or failed',
  model_training_runs_completed_at_check: 'completed_at is set exactly when the run is no longer running',
  model_training_runs_failed_error_check: 'a failed run must carry its error_message',
  model_training_runs_completed_metrics_check: 'a completed run must carry its metrics',
  model_training_runs_duration_check: 'training_duration_seconds must be >= 0',
  model_training_runs_transition: 'a run goes running → completed | failed, and then never changes',
  edges_training_run_id_fkey: 'training_run_id must reference a training run',

  // the record clock (migration 0005)
  features_historical_record_clock:
    "recorded_at is set by the database, at the inserting transaction's own time and after the last pinned knowledge cutoff",

  // history guards of every history table (migration 0004)
  markets_backdated_version_guard: 'a new version starts strictly after every stored version of its key',
  game_states_backdated_version_guard: 'a new version starts strictly after every stored version of its key',
  edges_backdated_version_guard: 'a new version starts strictly after every stored version of its key',
  positions_backdated_version_guard: 'a new version starts strictly after every stored version of its key',
  account_balance_backdated_version_guard: 'a new version starts strictly after every stored version of its key',
  markets_truncate_guard: 'markets is never truncated',
  game_states_truncate_guard: 'game_states is never truncated',
  edges_truncate_guard: 'edges is never truncated',
  positions_truncate_guard: 'positions is never truncated',
  account_balance_truncate_guard: 'account_balance is never truncated',
  trades_truncate_guard: 'trades is never truncated',
  settlements_truncate_guard: 'settlements is never truncated',
  position_exits_truncate_guard: 'position_exits is never truncated',
  exit_attempts_truncate_guard: 'exit_attempts is never truncated',
  feature_definitions_truncate_guard: 'feature_definitions is never truncated',
  features_historical_truncate_guard: 'features_historical is never truncated',
  training_datasets_truncate_guard: 'training_datasets is never truncated',
  model_training_runs_truncate_guard: 'model_training_runs is never truncated',
});

/** How one kind of guard-trigger error looks. */
export interface TriggerErrorFormat {
  /** What the rule protects, in a few words (for an error's kind). */
  readonly kind: string;
  /** The MESSAGE, with `<table>`, `<key>` and `<column>` placeholders. */
  readonly message: string;
}

/**
 * The SQLSTATEs and messages the migration's guard triggers raise (custom class `PR`, so
 * they never collide with PostgreSQL's own). Every one also sets the error's `table`,
 * `schema` and `constraint` (the trigger's name, a key of {@link CONSTRAINT_RULES}), and
 * PR001 sets `column`. `<key>` is `<pk>=<value>` on catalogue and append-only tables and
 * `id=<id> (<business key>=<value>, …)` on SCD2 tables, e.g.
 * `markets row id=12 (market_id=KXNFL-1) is immutable: yes_price`.
 */
export const TRIGGER_ERRORS = Object.freeze({
  PR001: {
    kind: 'immutable column',
    message: '<table> row <key> is immutable: <column>',
  },
  PR002: {
    kind: 'history is immutable',
    message: '<table> row <key> is a closed version: history is never updated',
  },
  PR003: {
    kind: 'history is never deleted',
    message: '<table> row <key> cannot be deleted: history is never deleted',
  },
  PR004: {
    kind: 'append-only table',
    message: '<table> row <key> is append-only: cannot be updated | cannot be deleted',
  },
  PR005: {
    kind: 'history is never deleted',
    message: '<table> cannot be truncated: history is never deleted',
  },
  PR006: {
    kind: 'history is never rewritten',
    message: '<table> <key>: a version from <t> is not after the existing version from <t>: history is never rewritten',
  },
} as const satisfies Record<string, TriggerErrorFormat>);

/** A SQLSTATE raised by a guard trigger. */
export type TriggerErrorCode = keyof typeof TRIGGER_ERRORS;
