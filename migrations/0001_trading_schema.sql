-- 0001_trading_schema.sql
--
-- The trading schema (../shared/spec/trading-schema.md, §0–§15) and the two sports
-- entity tables it points at (teams, players). PostgreSQL 15 compatible; also runs on
-- PGlite (PostgreSQL 18). Applied as one transaction by the migrator: no BEGIN/COMMIT here.
--
-- Naming convention (every constraint and index is named explicitly):
--   <table>_pkey                      primary key
--   <table>_<cols>_key                UNIQUE constraint
--   <table>_current_<cols>_key        partial UNIQUE index WHERE row_current_ind (SCD2)
--   <table>_<cols>_fkey               foreign key
--   <table>_<what>_check              CHECK (column checks use the column name)
--   <table>_no_overlap_excl           EXCLUDE: a key's SCD2 versions never overlap in time
--   <table>_[current_|open_]<cols>_idx   index; the prefix names the partial-index predicate
--                                        (current_ = WHERE row_current_ind,
--                                         open_ = WHERE row_current_ind AND status = 'open')
--   <table>_<purpose>_guard           trigger rejecting a forbidden write
--   <table>_touch_updated_at          trigger maintaining updated_at
--
-- SCD2 tables (markets, game_states, edges, positions, account_balance) enforce the spec's
-- invariants in the database: a partial unique index allows one current version per
-- business key; CHECKs tie row_current_ind to row_end_ts IS NULL and keep
-- row_end_ts >= row_start_ts; an EXCLUDE constraint (btree_gist) forbids two versions of a
-- key whose [row_start_ts, row_end_ts) ranges overlap. A zero-length version [t, t) is
-- allowed (two changes at the same instant, e.g. twice in one transaction with now()): it
-- overlaps nothing and no point-in-time query returns it. The EXCLUDE constraint is added
-- after the partial unique index because PostgreSQL checks a table's indexes in creation
-- order: a second current version is then reported as <table>_current_<key>_key rather
-- than as an overlap. Triggers keep history immutable (see scd2_guard_history).
--
-- Trigger errors (see src/db/constraint-rules.ts for the same list):
--   PR001  '<table> row <key> is immutable: <column>'
--   PR002  '<table> row <key> is a closed version: history is never updated'
--   PR003  '<table> row <key> cannot be deleted: history is never deleted'
--   PR004  '<table> row <key> is append-only: cannot be updated' / '... cannot be deleted'
-- Each sets TABLE, SCHEMA, CONSTRAINT (= the trigger name) and, where one column is at
-- fault, COLUMN, so callers can map them like constraint violations.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- ===========================================================================
-- Generic trigger functions
-- ===========================================================================

-- Rejects an UPDATE that changes a frozen column of an immutable version
-- (probability_models, strategies). Arguments: the primary-key column, then the frozen
-- columns. Columns are compared through jsonb so one function serves every table.
CREATE FUNCTION reject_immutable_column_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  old_row jsonb := to_jsonb(OLD);
  new_row jsonb := to_jsonb(NEW);
  key_column text := TG_ARGV[0];
  frozen_column text;
BEGIN
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    frozen_column := TG_ARGV[i];
    IF (new_row -> frozen_column) IS DISTINCT FROM (old_row -> frozen_column) THEN
      RAISE EXCEPTION USING
        ERRCODE = 'PR001',
        MESSAGE = format('%s row %s=%s is immutable: %s',
                         TG_TABLE_NAME, key_column, old_row ->> key_column, frozen_column),
        DETAIL = format('%s is frozen once the version is registered.', frozen_column),
        HINT = 'Register a new version instead of changing this one.',
        SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = frozen_column,
        CONSTRAINT = TG_NAME;
    END IF;
  END LOOP;
  RETURN NEW;
END;
$$;

-- Protects SCD2 history (markets, game_states, edges, positions, account_balance).
-- BEFORE UPDATE: a closed version (row_current_ind = false) is never updated; on the
-- current version only the close-out columns (row_current_ind, row_end_ts) may change,
-- plus the in-place columns named in TG_ARGV[1]. BEFORE DELETE: always rejected.
-- Arguments: TG_ARGV[0] = business-key columns, comma-separated (used in messages);
-- TG_ARGV[1] (optional) = extra in-place-updatable columns, comma-separated.
-- An UPDATE that changes nothing is allowed (it is not a change).
CREATE FUNCTION scd2_guard_history() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  old_row jsonb := to_jsonb(OLD);
  new_row jsonb := to_jsonb(NEW);
  key_columns text[] := string_to_array(TG_ARGV[0], ',');
  updatable text[] := ARRAY['row_current_ind', 'row_end_ts']
                      || COALESCE(string_to_array(NULLIF(TG_ARGV[1], ''), ','), ARRAY[]::text[]);
  row_label text;
  changed text[];
BEGIN
  SELECT format('%s row id=%s (%s)', TG_TABLE_NAME, old_row ->> 'id',
                string_agg(format('%s=%s', k, old_row ->> k), ', ' ORDER BY ord))
    INTO row_label
    FROM unnest(key_columns) WITH ORDINALITY AS bk(k, ord);

  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'PR003',
      MESSAGE = format('%s cannot be deleted: history is never deleted', row_label),
      HINT = 'Close the current version instead (row_current_ind = false, row_end_ts = t).',
      SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
  END IF;

  IF NOT OLD.row_current_ind THEN
    RAISE EXCEPTION USING
      ERRCODE = 'PR002',
      MESSAGE = format('%s is a closed version: history is never updated', row_label),
      SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
  END IF;

  SELECT array_agg(n.key ORDER BY n.key) INTO changed
    FROM jsonb_each(new_row) AS n
   WHERE n.value IS DISTINCT FROM old_row -> n.key
     AND n.key <> ALL (updatable);

  IF changed IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'PR001',
      MESSAGE = format('%s is immutable: %s', row_label, changed[1]),
      DETAIL = format('Changed: %s. Only %s may be updated in place.',
                      array_to_string(changed, ', '), array_to_string(updatable, ', ')),
      HINT = 'Close the current version and insert a new one, in one transaction.',
      SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = changed[1],
      CONSTRAINT = TG_NAME;
  END IF;
  RETURN NEW;
END;
$$;

-- Rejects UPDATE and DELETE on append-only tables (trades, settlements, position_exits,
-- exit_attempts). Argument: the primary-key column (used in the message).
CREATE FUNCTION reject_append_only_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING
    ERRCODE = 'PR004',
    MESSAGE = format('%s row %s=%s is append-only: cannot be %s',
                     TG_TABLE_NAME, TG_ARGV[0], to_jsonb(OLD) ->> TG_ARGV[0],
                     CASE TG_OP WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END),
    HINT = 'Append a new row instead.',
    SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
END;
$$;

-- (our choice) Keeps updated_at = time of the last in-place change on Type 1 tables
-- (series, events): bumped when the row actually changes and the caller did not set it.
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$;

-- ===========================================================================
-- Sports entities (from the ML document, which we do not have: designed here)
-- ===========================================================================

-- teams: one franchise/program per sport. (our choice) code is the short league
-- abbreviation (e.g. 'KC'), unique per sport; aliases hold former or alternative codes
-- and names (e.g. 'OAK' for the Raiders) so importers can match historical data;
-- external_ids maps a source to its id, e.g. {"espn": "12"}.
CREATE TABLE teams (
  team_id      INTEGER GENERATED ALWAYS AS IDENTITY,
  sport        VARCHAR(20)  NOT NULL,
  code         VARCHAR(10)  NOT NULL,
  name         VARCHAR(100) NOT NULL,
  conference   VARCHAR(50)  NULL,
  division     VARCHAR(50)  NULL,
  active       BOOLEAN      NOT NULL DEFAULT TRUE,
  aliases      TEXT[]       NOT NULL DEFAULT '{}',
  external_ids JSONB        NOT NULL DEFAULT '{}',
  created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT teams_pkey PRIMARY KEY (team_id),
  CONSTRAINT teams_sport_code_key UNIQUE (sport, code),
  CONSTRAINT teams_sport_check CHECK (sport IN
    ('nfl', 'ncaaf', 'nba', 'ncaab', 'mlb', 'nhl', 'wnba', 'soccer', 'tennis', 'ufc')),
  -- (our choice) external_ids is always a JSON object of source -> id.
  CONSTRAINT teams_external_ids_check CHECK (jsonb_typeof(external_ids) = 'object')
);
-- (our choice) alias and external-id lookups: aliases @> ARRAY['OAK'],
-- external_ids @> '{"espn": "12"}'.
CREATE INDEX teams_aliases_idx ON teams USING gin (aliases);
CREATE INDEX teams_external_ids_idx ON teams USING gin (external_ids jsonb_path_ops);

-- players: (our choice) external_id is the ingestion key (unique across sources: callers
-- prefix it with the source when needed, e.g. 'espn:3139477'); external_ids keeps every
-- source's id. team_id is the current team, NULL for free agents.
CREATE TABLE players (
  player_id    INTEGER GENERATED ALWAYS AS IDENTITY,
  team_id      INTEGER      NULL,
  name         VARCHAR(100) NOT NULL,
  position     VARCHAR(20)  NULL,
  external_id  VARCHAR(100) NOT NULL,
  external_ids JSONB        NOT NULL DEFAULT '{}',
  status       VARCHAR(20)  NOT NULL DEFAULT 'active',
  created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT players_pkey PRIMARY KEY (player_id),
  CONSTRAINT players_external_id_key UNIQUE (external_id),
  CONSTRAINT players_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (team_id)
    ON DELETE RESTRICT,
  -- (our choice) roster status.
  CONSTRAINT players_status_check CHECK (status IN ('active', 'inactive', 'injured', 'retired')),
  CONSTRAINT players_external_ids_check CHECK (jsonb_typeof(external_ids) = 'object')
);
CREATE INDEX players_team_id_idx ON players (team_id);

-- ===========================================================================
-- §1 platforms
-- ===========================================================================

CREATE TABLE platforms (
  platform_id    VARCHAR(50)  NOT NULL,
  platform_type  VARCHAR(50)  NOT NULL,
  display_name   VARCHAR(100) NOT NULL,
  base_url       VARCHAR(255) NULL,
  websocket_url  VARCHAR(255) NULL,
  api_version    VARCHAR(20)  NULL,
  auth_method    VARCHAR(50)  NULL,
  fees_structure JSONB        NULL,
  status         VARCHAR(20)  NOT NULL DEFAULT 'active',
  created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT platforms_pkey PRIMARY KEY (platform_id),
  CONSTRAINT platforms_platform_type_check CHECK (platform_type IN ('trading', 'data_source', 'hybrid')),
  CONSTRAINT platforms_auth_method_check CHECK (auth_method IN ('rsa_pss', 'api_key', 'oauth', 'metamask', 'none')),
  CONSTRAINT platforms_status_check CHECK (status IN ('active', 'inactive', 'maintenance'))
);

-- Seed rows. kalshi is the spec's seed; the data sources feed game_states/teams/features;
-- closing-line (our choice) lists each game's closing betting line as a market, so edges
-- can be computed against real prices.
INSERT INTO platforms (platform_id, platform_type, display_name, base_url, websocket_url, api_version, auth_method) VALUES
  ('kalshi',          'trading',     'Kalshi',                'https://api.elections.kalshi.com/trade-api/v2',
                                                              'wss://api.elections.kalshi.com/trade-api/ws/v2', 'v2', 'rsa_pss'),
  ('espn',            'data_source', 'ESPN',                  'https://site.api.espn.com/apis/site/v2/sports', NULL, NULL, 'none'),
  ('fivethirtyeight', 'data_source', 'FiveThirtyEight',       NULL, NULL, NULL, 'none'),
  ('spreadspoke',     'data_source', 'Spreadspoke NFL scores and betting lines', NULL, NULL, NULL, 'none'),
  ('closing-line',    'trading',     'Closing betting line',  NULL, NULL, NULL, 'none');

-- ===========================================================================
-- §2 series (Type 1)
-- ===========================================================================

CREATE TABLE series (
  series_id   VARCHAR(100) NOT NULL,
  platform_id VARCHAR(50)  NOT NULL,
  external_id VARCHAR(100) NOT NULL,
  category    VARCHAR(50)  NOT NULL,
  subcategory VARCHAR(50)  NULL,
  title       VARCHAR(255) NOT NULL,
  frequency   VARCHAR(20)  NULL,
  metadata    JSONB        NULL,
  created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT series_pkey PRIMARY KEY (series_id),
  CONSTRAINT series_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT series_platform_id_external_id_key UNIQUE (platform_id, external_id),
  CONSTRAINT series_category_check CHECK (category IN
    ('sports', 'politics', 'entertainment', 'economics', 'weather', 'other')),
  CONSTRAINT series_frequency_check CHECK (frequency IN ('daily', 'weekly', 'monthly', 'event', 'once'))
);
CREATE INDEX series_category_subcategory_idx ON series (category, subcategory);
CREATE TRIGGER series_touch_updated_at BEFORE UPDATE ON series
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- ===========================================================================
-- §3 events (Type 1)
-- ===========================================================================

CREATE TABLE events (
  event_id        VARCHAR(100) NOT NULL,
  platform_id     VARCHAR(50)  NOT NULL,
  series_id       VARCHAR(100) NULL,
  external_id     VARCHAR(100) NOT NULL,
  category        VARCHAR(50)  NOT NULL,
  subcategory     VARCHAR(50)  NULL,
  title           VARCHAR(255) NOT NULL,
  description     TEXT         NULL,
  start_time      TIMESTAMPTZ  NULL,
  end_time        TIMESTAMPTZ  NULL,
  status          VARCHAR(20)  NULL,
  home_team_id    INTEGER      NULL,
  away_team_id    INTEGER      NULL,
  -- (our choice) typed game data for the sports importers and the feature store;
  -- all NULL for non-sports events.
  sport           VARCHAR(20)  NULL,
  season          SMALLINT     NULL,
  week            VARCHAR(20)  NULL,   -- text: '1'..'18' or playoff rounds ('Wildcard', 'Superbowl')
  is_playoff      BOOLEAN      NULL,
  is_neutral_site BOOLEAN      NULL,
  home_score      INTEGER      NULL,   -- final score; live scores live in game_states
  away_score      INTEGER      NULL,
  result          JSONB        NULL,
  metadata        JSONB        NULL,
  created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT events_pkey PRIMARY KEY (event_id),
  CONSTRAINT events_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT events_series_id_fkey FOREIGN KEY (series_id) REFERENCES series (series_id)
    ON DELETE SET NULL,
  CONSTRAINT events_home_team_id_fkey FOREIGN KEY (home_team_id) REFERENCES teams (team_id)
    ON DELETE RESTRICT,
  CONSTRAINT events_away_team_id_fkey FOREIGN KEY (away_team_id) REFERENCES teams (team_id)
    ON DELETE RESTRICT,
  CONSTRAINT events_platform_id_external_id_key UNIQUE (platform_id, external_id),
  CONSTRAINT events_category_check CHECK (category IN
    ('sports', 'politics', 'entertainment', 'economics', 'weather', 'other')),
  CONSTRAINT events_status_check CHECK (status IN ('scheduled', 'live', 'final', 'cancelled', 'postponed')),
  CONSTRAINT events_end_time_check CHECK (end_time IS NULL OR start_time IS NULL OR end_time >= start_time),
  CONSTRAINT events_sport_check CHECK (sport IN
    ('nfl', 'ncaaf', 'nba', 'ncaab', 'mlb', 'nhl', 'wnba', 'soccer', 'tennis', 'ufc')),
  CONSTRAINT events_home_score_check CHECK (home_score >= 0),
  CONSTRAINT events_away_score_check CHECK (away_score >= 0)
);
CREATE INDEX events_series_id_idx ON events (series_id);
CREATE INDEX events_status_idx ON events (status);
CREATE INDEX events_start_time_idx ON events (start_time);
CREATE INDEX events_sport_season_idx ON events (sport, season);
CREATE TRIGGER events_touch_updated_at BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- ===========================================================================
-- §4 markets (SCD2; business key market_id)
-- ===========================================================================

CREATE TABLE markets (
  id               BIGINT GENERATED ALWAYS AS IDENTITY,
  market_id        VARCHAR(100)  NOT NULL,
  platform_id      VARCHAR(50)   NOT NULL,
  event_id         VARCHAR(100)  NOT NULL,
  external_id      VARCHAR(100)  NOT NULL,
  ticker           VARCHAR(50)   NULL,
  title            VARCHAR(255)  NOT NULL,
  market_type      VARCHAR(20)   NOT NULL,
  yes_price        DECIMAL(10,4) NULL,
  no_price         DECIMAL(10,4) NULL,
  spread           DECIMAL(10,4) NULL,
  volume           INTEGER       NULL,
  open_interest    INTEGER       NULL,
  status           VARCHAR(20)   NOT NULL,
  settlement_value DECIMAL(10,4) NULL,
  metadata         JSONB         NULL,
  row_current_ind  BOOLEAN       NOT NULL DEFAULT TRUE,
  row_start_ts     TIMESTAMPTZ   NOT NULL DEFAULT now(),
  row_end_ts       TIMESTAMPTZ   NULL,
  created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT markets_pkey PRIMARY KEY (id),
  CONSTRAINT markets_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT markets_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (event_id)
    ON DELETE RESTRICT,
  CONSTRAINT markets_market_type_check CHECK (market_type IN ('binary', 'categorical', 'scalar')),
  CONSTRAINT markets_yes_price_check CHECK (yes_price BETWEEN 0 AND 1),
  CONSTRAINT markets_no_price_check CHECK (no_price BETWEEN 0 AND 1),
  CONSTRAINT markets_spread_check CHECK (spread BETWEEN 0 AND 1),
  CONSTRAINT markets_volume_check CHECK (volume >= 0),
  CONSTRAINT markets_open_interest_check CHECK (open_interest >= 0),
  CONSTRAINT markets_status_check CHECK (status IN ('open', 'closed', 'settled', 'halted')),
  CONSTRAINT markets_settlement_value_check CHECK (settlement_value BETWEEN 0 AND 1),
  CONSTRAINT markets_settled_value_check CHECK (status <> 'settled' OR settlement_value IS NOT NULL),
  CONSTRAINT markets_row_current_ind_check CHECK (row_current_ind = (row_end_ts IS NULL)),
  CONSTRAINT markets_row_end_ts_check CHECK (row_end_ts IS NULL OR row_end_ts >= row_start_ts)
);
CREATE UNIQUE INDEX markets_current_market_id_key ON markets (market_id) WHERE row_current_ind;
-- After the partial unique index on purpose: see "SCD2 tables" at the top.
ALTER TABLE markets ADD CONSTRAINT markets_no_overlap_excl EXCLUDE USING gist
  (market_id WITH =, tstzrange(row_start_ts, row_end_ts, '[)') WITH &&);
CREATE UNIQUE INDEX markets_current_platform_id_external_id_key ON markets (platform_id, external_id)
  WHERE row_current_ind;
CREATE INDEX markets_market_id_row_start_ts_idx ON markets (market_id, row_start_ts);
CREATE INDEX markets_event_id_idx ON markets (event_id);
CREATE INDEX markets_current_status_idx ON markets (status) WHERE row_current_ind;
CREATE INDEX markets_row_end_ts_idx ON markets (row_end_ts) WHERE row_end_ts IS NOT NULL;
CREATE TRIGGER markets_history_update_guard BEFORE UPDATE ON markets
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('market_id');
CREATE TRIGGER markets_history_delete_guard BEFORE DELETE ON markets
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('market_id');

-- ===========================================================================
-- §5 game_states (SCD2; business key (platform_id, external_game_id))
-- ===========================================================================

CREATE TABLE game_states (
  id               BIGINT GENERATED ALWAYS AS IDENTITY,
  platform_id      VARCHAR(50)   NOT NULL,
  external_game_id VARCHAR(100)  NOT NULL,
  event_id         VARCHAR(100)  NULL,
  sport            VARCHAR(20)   NOT NULL,
  home_team_id     INTEGER       NULL,
  away_team_id     INTEGER       NULL,
  home_score       INTEGER       NOT NULL DEFAULT 0,
  away_score       INTEGER       NOT NULL DEFAULT 0,
  period           SMALLINT      NOT NULL DEFAULT 0,
  clock_seconds    DECIMAL(8,2)  NULL,
  clock_display    VARCHAR(20)   NULL,
  possession       VARCHAR(10)   NULL,
  status           VARCHAR(20)   NOT NULL,
  sport_metadata   JSONB         NULL,
  row_current_ind  BOOLEAN       NOT NULL DEFAULT TRUE,
  row_start_ts     TIMESTAMPTZ   NOT NULL DEFAULT now(),
  row_end_ts       TIMESTAMPTZ   NULL,
  created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT game_states_pkey PRIMARY KEY (id),
  CONSTRAINT game_states_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT game_states_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (event_id)
    ON DELETE RESTRICT,
  CONSTRAINT game_states_home_team_id_fkey FOREIGN KEY (home_team_id) REFERENCES teams (team_id)
    ON DELETE RESTRICT,
  CONSTRAINT game_states_away_team_id_fkey FOREIGN KEY (away_team_id) REFERENCES teams (team_id)
    ON DELETE RESTRICT,
  CONSTRAINT game_states_sport_check CHECK (sport IN
    ('nfl', 'ncaaf', 'nba', 'ncaab', 'mlb', 'nhl', 'wnba', 'soccer', 'tennis', 'ufc')),
  CONSTRAINT game_states_home_score_check CHECK (home_score >= 0),
  CONSTRAINT game_states_away_score_check CHECK (away_score >= 0),
  CONSTRAINT game_states_period_check CHECK (period >= 0),
  CONSTRAINT game_states_clock_seconds_check CHECK (clock_seconds >= 0),
  CONSTRAINT game_states_possession_check CHECK (possession IN ('home', 'away')),
  CONSTRAINT game_states_status_check CHECK (status IN
    ('scheduled', 'pregame', 'live', 'halftime', 'final', 'delayed', 'postponed', 'cancelled')),
  CONSTRAINT game_states_row_current_ind_check CHECK (row_current_ind = (row_end_ts IS NULL)),
  CONSTRAINT game_states_row_end_ts_check CHECK (row_end_ts IS NULL OR row_end_ts >= row_start_ts)
);
CREATE UNIQUE INDEX game_states_current_platform_id_external_game_id_key
  ON game_states (platform_id, external_game_id) WHERE row_current_ind;
-- After the partial unique index on purpose: see "SCD2 tables" at the top.
ALTER TABLE game_states ADD CONSTRAINT game_states_no_overlap_excl EXCLUDE USING gist
  (platform_id WITH =, external_game_id WITH =, tstzrange(row_start_ts, row_end_ts, '[)') WITH &&);
CREATE INDEX game_states_platform_id_external_game_id_row_start_ts_idx
  ON game_states (platform_id, external_game_id, row_start_ts);
CREATE INDEX game_states_event_id_idx ON game_states (event_id);
CREATE INDEX game_states_current_status_idx ON game_states (status) WHERE row_current_ind;
CREATE INDEX game_states_row_end_ts_idx ON game_states (row_end_ts) WHERE row_end_ts IS NOT NULL;
CREATE INDEX game_states_sport_metadata_idx ON game_states USING gin (sport_metadata);
CREATE TRIGGER game_states_history_update_guard BEFORE UPDATE ON game_states
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('platform_id,external_game_id');
CREATE TRIGGER game_states_history_delete_guard BEFORE DELETE ON game_states
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('platform_id,external_game_id');

-- ===========================================================================
-- §6 probability_models (immutable versions)
-- ===========================================================================

CREATE TABLE probability_models (
  model_id               INTEGER GENERATED ALWAYS AS IDENTITY,
  model_name             VARCHAR(100)  NOT NULL,
  model_version          VARCHAR(20)   NOT NULL,
  approach               VARCHAR(50)   NOT NULL,
  domain                 VARCHAR(50)   NULL,
  config                 JSONB         NOT NULL,
  training_start_date    DATE          NULL,
  training_end_date      DATE          NULL,
  status                 VARCHAR(20)   NOT NULL DEFAULT 'draft',
  validation_accuracy    DECIMAL(10,4) NULL,
  validation_calibration DECIMAL(10,4) NULL,
  activated_at           TIMESTAMPTZ   NULL,
  deactivated_at         TIMESTAMPTZ   NULL,
  description            TEXT          NULL,
  created_by             VARCHAR(100)  NULL,
  created_at             TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT probability_models_pkey PRIMARY KEY (model_id),
  CONSTRAINT probability_models_model_name_model_version_key UNIQUE (model_name, model_version),
  CONSTRAINT probability_models_approach_check CHECK (approach IN
    ('elo', 'ensemble', 'ml', 'hybrid', 'regression', 'neural_net', 'baseline')),
  CONSTRAINT probability_models_training_end_date_check CHECK
    (training_end_date IS NULL OR training_start_date IS NULL OR training_end_date >= training_start_date),
  CONSTRAINT probability_models_status_check CHECK (status IN
    ('draft', 'training', 'validating', 'active', 'deprecated')),
  CONSTRAINT probability_models_validation_accuracy_check CHECK (validation_accuracy BETWEEN 0 AND 1),
  CONSTRAINT probability_models_validation_calibration_check CHECK (validation_calibration BETWEEN 0 AND 1)
);
CREATE INDEX probability_models_active_status_idx ON probability_models (status) WHERE status = 'active';
CREATE TRIGGER probability_models_immutable_guard BEFORE UPDATE ON probability_models
  FOR EACH ROW EXECUTE FUNCTION reject_immutable_column_change(
    'model_id', 'model_name', 'model_version', 'approach', 'domain', 'config');

-- ===========================================================================
-- §7 strategies (immutable versions)
-- ===========================================================================

CREATE TABLE strategies (
  strategy_id      INTEGER GENERATED ALWAYS AS IDENTITY,
  strategy_name    VARCHAR(100) NOT NULL,
  strategy_version VARCHAR(20)  NOT NULL,
  platform_id      VARCHAR(50)  NULL,
  approach         VARCHAR(50)  NOT NULL,
  domain           VARCHAR(50)  NULL,
  config           JSONB        NOT NULL,
  status           VARCHAR(20)  NOT NULL DEFAULT 'draft',
  activated_at     TIMESTAMPTZ  NULL,
  deactivated_at   TIMESTAMPTZ  NULL,
  description      TEXT         NULL,
  created_by       VARCHAR(100) NULL,
  created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT strategies_pkey PRIMARY KEY (strategy_id),
  CONSTRAINT strategies_strategy_name_strategy_version_key UNIQUE (strategy_name, strategy_version),
  CONSTRAINT strategies_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT strategies_approach_check CHECK (approach IN ('value', 'arbitrage', 'momentum', 'mean_reversion')),
  CONSTRAINT strategies_status_check CHECK (status IN ('draft', 'testing', 'active', 'inactive', 'deprecated'))
);
CREATE TRIGGER strategies_immutable_guard BEFORE UPDATE ON strategies
  FOR EACH ROW EXECUTE FUNCTION reject_immutable_column_change(
    'strategy_id', 'strategy_name', 'strategy_version', 'approach', 'domain', 'config');

-- ===========================================================================
-- §8 edges (SCD2; business key edge_id)
-- ===========================================================================

CREATE TABLE edges (
  id                         BIGINT GENERATED ALWAYS AS IDENTITY,
  edge_id                    VARCHAR(50)   NOT NULL,
  calculation_run_id         UUID          NOT NULL,
  market_id                  VARCHAR(100)  NOT NULL,
  market_row_id              BIGINT        NOT NULL,
  game_state_row_id          BIGINT        NULL,
  model_id                   INTEGER       NOT NULL,
  -- (our choice) BIGINT, no FK here: model_training_runs is created by migration 0002,
  -- which adds edges_training_run_id_fkey.
  training_run_id            BIGINT        NULL,
  strategy_id                INTEGER       NULL,
  side                       VARCHAR(3)    NOT NULL,
  true_win_probability       DECIMAL(10,4) NOT NULL,
  market_implied_probability DECIMAL(10,4) NOT NULL,
  market_price               DECIMAL(10,4) NOT NULL,
  expected_value             DECIMAL(10,4) NOT NULL,
  confidence_level           VARCHAR(20)   NULL,
  confidence_metrics         JSONB         NULL,
  recommended_action         VARCHAR(20)   NULL,
  row_current_ind            BOOLEAN       NOT NULL DEFAULT TRUE,
  row_start_ts               TIMESTAMPTZ   NOT NULL DEFAULT now(),
  row_end_ts                 TIMESTAMPTZ   NULL,
  created_at                 TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT edges_pkey PRIMARY KEY (id),
  CONSTRAINT edges_market_row_id_fkey FOREIGN KEY (market_row_id) REFERENCES markets (id)
    ON DELETE RESTRICT,
  CONSTRAINT edges_game_state_row_id_fkey FOREIGN KEY (game_state_row_id) REFERENCES game_states (id)
    ON DELETE RESTRICT,
  CONSTRAINT edges_model_id_fkey FOREIGN KEY (model_id) REFERENCES probability_models (model_id)
    ON DELETE RESTRICT,
  CONSTRAINT edges_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES strategies (strategy_id)
    ON DELETE RESTRICT,
  CONSTRAINT edges_side_check CHECK (side IN ('yes', 'no')),
  CONSTRAINT edges_true_win_probability_check CHECK (true_win_probability BETWEEN 0 AND 1),
  CONSTRAINT edges_market_implied_probability_check CHECK (market_implied_probability BETWEEN 0 AND 1),
  CONSTRAINT edges_market_price_check CHECK (market_price BETWEEN 0 AND 1),
  CONSTRAINT edges_expected_value_check CHECK (expected_value BETWEEN -1 AND 1),
  CONSTRAINT edges_confidence_level_check CHECK (confidence_level IN ('high', 'medium', 'low')),
  CONSTRAINT edges_recommended_action_check CHECK (recommended_action IN ('auto_execute', 'alert', 'ignore')),
  CONSTRAINT edges_row_current_ind_check CHECK (row_current_ind = (row_end_ts IS NULL)),
  CONSTRAINT edges_row_end_ts_check CHECK (row_end_ts IS NULL OR row_end_ts >= row_start_ts)
);
CREATE UNIQUE INDEX edges_current_edge_id_key ON edges (edge_id) WHERE row_current_ind;
-- After the partial unique index on purpose: see "SCD2 tables" at the top.
ALTER TABLE edges ADD CONSTRAINT edges_no_overlap_excl EXCLUDE USING gist
  (edge_id WITH =, tstzrange(row_start_ts, row_end_ts, '[)') WITH &&);
-- One live edge per (market, side, model, strategy); a NULL strategy counts as a value.
CREATE UNIQUE INDEX edges_current_market_id_side_model_id_strategy_id_key
  ON edges (market_id, side, model_id, strategy_id) NULLS NOT DISTINCT WHERE row_current_ind;
CREATE INDEX edges_edge_id_row_start_ts_idx ON edges (edge_id, row_start_ts);
CREATE INDEX edges_calculation_run_id_idx ON edges (calculation_run_id);
CREATE INDEX edges_current_expected_value_idx ON edges (expected_value) WHERE row_current_ind;
CREATE INDEX edges_market_row_id_idx ON edges (market_row_id);
CREATE INDEX edges_row_end_ts_idx ON edges (row_end_ts) WHERE row_end_ts IS NOT NULL;
CREATE TRIGGER edges_history_update_guard BEFORE UPDATE ON edges
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('edge_id');
CREATE TRIGGER edges_history_delete_guard BEFORE DELETE ON edges
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('edge_id');

-- ===========================================================================
-- §10 positions (SCD2; business key position_id)
-- Created before trades because trades.position_row_id references it; the
-- positions -> trades(order_id) key is added after trades (it is deferred anyway).
-- ===========================================================================

CREATE TABLE positions (
  id                     BIGINT GENERATED ALWAYS AS IDENTITY,
  position_id            VARCHAR(50)   NOT NULL,
  initial_order_id       VARCHAR(100)  NULL,
  platform_id            VARCHAR(50)   NOT NULL,
  market_id              VARCHAR(100)  NOT NULL,
  market_row_id          BIGINT        NOT NULL,
  strategy_id            INTEGER       NULL,
  model_id               INTEGER       NULL,
  side                   VARCHAR(3)    NOT NULL,
  quantity               INTEGER       NOT NULL,
  entry_price            DECIMAL(10,4) NOT NULL,
  current_price          DECIMAL(10,4) NULL,
  target_price           DECIMAL(10,4) NULL,
  stop_loss_price        DECIMAL(10,4) NULL,
  trailing_stop_state    JSONB         NULL,
  exit_price             DECIMAL(10,4) NULL,
  fees                   DECIMAL(14,4) NULL,
  unrealized_pnl         DECIMAL(14,4) NULL,
  realized_pnl           DECIMAL(14,4) NULL,
  unrealized_pnl_pct     DECIMAL(6,4)  NULL,
  status                 VARCHAR(10)   NOT NULL DEFAULT 'open',
  exit_reason            VARCHAR(50)   NULL,
  exit_priority          VARCHAR(10)   NULL,
  entry_time             TIMESTAMPTZ   NOT NULL,
  exit_time              TIMESTAMPTZ   NULL,
  last_check_time        TIMESTAMPTZ   NULL,
  calculated_probability DECIMAL(10,4) NULL,
  market_price_at_entry  DECIMAL(10,4) NULL,
  edge_at_entry          DECIMAL(10,4) NULL,
  execution_environment  VARCHAR(10)   NOT NULL DEFAULT 'live',
  position_metadata      JSONB         NULL,
  row_current_ind        BOOLEAN       NOT NULL DEFAULT TRUE,
  row_start_ts           TIMESTAMPTZ   NOT NULL DEFAULT now(),
  row_end_ts             TIMESTAMPTZ   NULL,
  created_at             TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT positions_pkey PRIMARY KEY (id),
  CONSTRAINT positions_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT positions_market_row_id_fkey FOREIGN KEY (market_row_id) REFERENCES markets (id)
    ON DELETE RESTRICT,
  CONSTRAINT positions_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES strategies (strategy_id)
    ON DELETE RESTRICT,
  CONSTRAINT positions_model_id_fkey FOREIGN KEY (model_id) REFERENCES probability_models (model_id)
    ON DELETE RESTRICT,
  CONSTRAINT positions_side_check CHECK (side IN ('yes', 'no')),
  CONSTRAINT positions_quantity_check CHECK (quantity >= 0),
  CONSTRAINT positions_entry_price_check CHECK (entry_price BETWEEN 0 AND 1),
  CONSTRAINT positions_current_price_check CHECK (current_price BETWEEN 0 AND 1),
  CONSTRAINT positions_target_price_check CHECK (target_price BETWEEN 0 AND 1),
  CONSTRAINT positions_stop_loss_price_check CHECK (stop_loss_price BETWEEN 0 AND 1),
  -- (our choice) positions_urgent_monitoring casts current_stop_price to DECIMAL(10,4): a
  -- malformed value would make the view fail for every open position, so reject it here.
  -- It may be absent, JSON null, a number or a numeric string, and lies in [0, 1].
  CONSTRAINT positions_trailing_stop_state_check CHECK (
    trailing_stop_state IS NULL
    OR (jsonb_typeof(trailing_stop_state) = 'object'
        AND CASE jsonb_typeof(trailing_stop_state -> 'current_stop_price')
              WHEN 'number' THEN (trailing_stop_state ->> 'current_stop_price')::numeric BETWEEN 0 AND 1
              WHEN 'string' THEN
                CASE WHEN (trailing_stop_state ->> 'current_stop_price') ~ '^\s*(\d+\.?\d*|\.\d+)\s*$'
                     THEN (trailing_stop_state ->> 'current_stop_price')::numeric BETWEEN 0 AND 1
                     ELSE FALSE END
              WHEN 'null' THEN TRUE
              ELSE (trailing_stop_state -> 'current_stop_price') IS NULL
            END)),
  CONSTRAINT positions_exit_price_check CHECK (exit_price BETWEEN 0 AND 1),
  CONSTRAINT positions_fees_check CHECK (fees >= 0),
  CONSTRAINT positions_status_check CHECK (status IN ('open', 'closed', 'settled')),
  CONSTRAINT positions_exit_reason_check CHECK (exit_reason IN
    ('stop_loss', 'circuit_breaker', 'trailing_stop', 'time_based_urgent', 'liquidity_dried_up',
     'profit_target', 'partial_exit_target', 'early_exit', 'edge_disappeared', 'rebalance')),
  CONSTRAINT positions_exit_priority_check CHECK (exit_priority IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
  CONSTRAINT positions_calculated_probability_check CHECK (calculated_probability BETWEEN 0 AND 1),
  CONSTRAINT positions_market_price_at_entry_check CHECK (market_price_at_entry BETWEEN 0 AND 1),
  CONSTRAINT positions_edge_at_entry_check CHECK (edge_at_entry BETWEEN -1 AND 1),
  CONSTRAINT positions_execution_environment_check CHECK (execution_environment IN ('live', 'paper', 'backtest')),
  CONSTRAINT positions_open_quantity_check CHECK (status <> 'open' OR quantity > 0),
  CONSTRAINT positions_open_exit_time_check CHECK ((status = 'open') = (exit_time IS NULL)),
  CONSTRAINT positions_exit_time_check CHECK (exit_time IS NULL OR exit_time >= entry_time),
  CONSTRAINT positions_row_current_ind_check CHECK (row_current_ind = (row_end_ts IS NULL)),
  CONSTRAINT positions_row_end_ts_check CHECK (row_end_ts IS NULL OR row_end_ts >= row_start_ts)
);
CREATE UNIQUE INDEX positions_current_position_id_key ON positions (position_id) WHERE row_current_ind;
-- After the partial unique index on purpose: see "SCD2 tables" at the top.
ALTER TABLE positions ADD CONSTRAINT positions_no_overlap_excl EXCLUDE USING gist
  (position_id WITH =, tstzrange(row_start_ts, row_end_ts, '[)') WITH &&);
CREATE INDEX positions_position_id_row_start_ts_idx ON positions (position_id, row_start_ts);
CREATE INDEX positions_initial_order_id_idx ON positions (initial_order_id);
CREATE INDEX positions_open_market_id_idx ON positions (market_id)
  WHERE row_current_ind AND status = 'open';
CREATE INDEX positions_open_last_check_time_idx ON positions (last_check_time)
  WHERE row_current_ind AND status = 'open';
CREATE INDEX positions_row_end_ts_idx ON positions (row_end_ts) WHERE row_end_ts IS NOT NULL;
-- last_check_time is the monitoring heartbeat: updated in place, never a new version.
CREATE TRIGGER positions_history_update_guard BEFORE UPDATE ON positions
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('position_id', 'last_check_time');
CREATE TRIGGER positions_history_delete_guard BEFORE DELETE ON positions
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('position_id');

-- ===========================================================================
-- §9 trades (append-only)
-- ===========================================================================

CREATE TABLE trades (
  trade_id                BIGINT GENERATED ALWAYS AS IDENTITY,
  order_id                VARCHAR(100)  NULL,
  platform_id             VARCHAR(50)   NOT NULL,
  market_id               VARCHAR(100)  NOT NULL,
  market_row_id           BIGINT        NOT NULL,
  position_id             VARCHAR(50)   NULL,
  position_row_id         BIGINT        NULL,
  edge_row_id             BIGINT        NULL,
  strategy_id             INTEGER       NULL,
  model_id                INTEGER       NULL,
  side                    VARCHAR(4)    NOT NULL,
  contract_side           VARCHAR(3)    NOT NULL,
  order_type              VARCHAR(20)   NOT NULL DEFAULT 'market',
  price                   DECIMAL(10,4) NOT NULL,
  quantity                INTEGER       NOT NULL,
  fees                    DECIMAL(14,4) NULL,
  execution_time          TIMESTAMPTZ   NOT NULL DEFAULT now(),
  calculated_probability  DECIMAL(10,4) NULL,
  market_price            DECIMAL(10,4) NULL,
  edge_at_execution       DECIMAL(10,4) NULL,
  confidence_at_execution VARCHAR(20)   NULL,
  trade_source            VARCHAR(10)   NOT NULL DEFAULT 'automated',
  execution_environment   VARCHAR(10)   NOT NULL DEFAULT 'live',
  trade_metadata          JSONB         NULL,
  created_at              TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT trades_pkey PRIMARY KEY (trade_id),
  CONSTRAINT trades_order_id_key UNIQUE (order_id),
  CONSTRAINT trades_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT trades_market_row_id_fkey FOREIGN KEY (market_row_id) REFERENCES markets (id)
    ON DELETE RESTRICT,
  CONSTRAINT trades_position_row_id_fkey FOREIGN KEY (position_row_id) REFERENCES positions (id)
    ON DELETE RESTRICT,
  CONSTRAINT trades_edge_row_id_fkey FOREIGN KEY (edge_row_id) REFERENCES edges (id)
    ON DELETE RESTRICT,
  CONSTRAINT trades_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES strategies (strategy_id)
    ON DELETE RESTRICT,
  CONSTRAINT trades_model_id_fkey FOREIGN KEY (model_id) REFERENCES probability_models (model_id)
    ON DELETE RESTRICT,
  CONSTRAINT trades_side_check CHECK (side IN ('buy', 'sell')),
  CONSTRAINT trades_contract_side_check CHECK (contract_side IN ('yes', 'no')),
  CONSTRAINT trades_order_type_check CHECK (order_type IN ('market', 'limit', 'stop', 'stop_limit')),
  CONSTRAINT trades_price_check CHECK (price BETWEEN 0 AND 1),
  CONSTRAINT trades_quantity_check CHECK (quantity > 0),
  CONSTRAINT trades_fees_check CHECK (fees >= 0),
  CONSTRAINT trades_calculated_probability_check CHECK (calculated_probability BETWEEN 0 AND 1),
  CONSTRAINT trades_market_price_check CHECK (market_price BETWEEN 0 AND 1),
  CONSTRAINT trades_edge_at_execution_check CHECK (edge_at_execution BETWEEN -1 AND 1),
  CONSTRAINT trades_confidence_at_execution_check CHECK (confidence_at_execution IN ('high', 'medium', 'low')),
  CONSTRAINT trades_trade_source_check CHECK (trade_source IN ('automated', 'manual')),
  CONSTRAINT trades_execution_environment_check CHECK (execution_environment IN ('live', 'paper', 'backtest')),
  CONSTRAINT trades_order_id_required_check CHECK (execution_environment = 'backtest' OR order_id IS NOT NULL)
);
CREATE INDEX trades_market_row_id_idx ON trades (market_row_id);
CREATE INDEX trades_position_row_id_idx ON trades (position_row_id);
CREATE INDEX trades_edge_row_id_idx ON trades (edge_row_id);
CREATE INDEX trades_strategy_id_idx ON trades (strategy_id);
CREATE INDEX trades_model_id_idx ON trades (model_id);
CREATE INDEX trades_execution_time_idx ON trades (execution_time);
CREATE INDEX trades_trade_metadata_idx ON trades USING gin (trade_metadata);
CREATE TRIGGER trades_append_only_guard BEFORE UPDATE OR DELETE ON trades
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change('trade_id');

-- Opening a position inserts its version 1 before the opening trade, so this key is
-- checked at commit.
ALTER TABLE positions
  ADD CONSTRAINT positions_initial_order_id_fkey FOREIGN KEY (initial_order_id)
    REFERENCES trades (order_id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED;

-- ===========================================================================
-- §11 settlements (append-only)
-- ===========================================================================

CREATE TABLE settlements (
  settlement_id          BIGINT GENERATED ALWAYS AS IDENTITY,
  platform_id            VARCHAR(50)   NOT NULL,
  market_id              VARCHAR(100)  NOT NULL,
  market_row_id          BIGINT        NOT NULL,
  outcome                VARCHAR(50)   NOT NULL,
  payout                 DECIMAL(10,4) NULL,
  external_settlement_id VARCHAR(100)  NULL,
  settlement_timestamp   TIMESTAMPTZ   NULL,
  api_response           JSONB         NULL,
  calculation_method     VARCHAR(20)   NOT NULL DEFAULT 'api_sourced',
  created_at             TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT settlements_pkey PRIMARY KEY (settlement_id),
  CONSTRAINT settlements_market_id_key UNIQUE (market_id),
  -- NULLs are distinct, so only rows that carry an external id are constrained.
  CONSTRAINT settlements_platform_id_external_settlement_id_key UNIQUE (platform_id, external_settlement_id),
  CONSTRAINT settlements_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT settlements_market_row_id_fkey FOREIGN KEY (market_row_id) REFERENCES markets (id)
    ON DELETE RESTRICT,
  CONSTRAINT settlements_payout_check CHECK (payout BETWEEN 0 AND 1),
  CONSTRAINT settlements_calculation_method_check CHECK (calculation_method IN ('api_sourced', 'trade_based', 'manual')),
  CONSTRAINT settlements_api_sourced_check CHECK (calculation_method <> 'api_sourced'
    OR (external_settlement_id IS NOT NULL AND settlement_timestamp IS NOT NULL AND api_response IS NOT NULL))
);
CREATE TRIGGER settlements_append_only_guard BEFORE UPDATE OR DELETE ON settlements
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change('settlement_id');

-- ===========================================================================
-- §12 position_exits (append-only)
-- ===========================================================================

CREATE TABLE position_exits (
  exit_id                BIGINT GENERATED ALWAYS AS IDENTITY,
  position_id            VARCHAR(50)   NOT NULL,
  position_row_id        BIGINT        NOT NULL,
  exit_trade_id          BIGINT        NOT NULL,
  exit_condition         VARCHAR(50)   NOT NULL,
  exit_priority          VARCHAR(10)   NOT NULL,
  quantity_exited        INTEGER       NOT NULL,
  exit_price             DECIMAL(10,4) NOT NULL,
  unrealized_pnl_at_exit DECIMAL(14,4) NULL,
  created_at             TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT position_exits_pkey PRIMARY KEY (exit_id),
  CONSTRAINT position_exits_exit_trade_id_key UNIQUE (exit_trade_id),
  CONSTRAINT position_exits_position_row_id_fkey FOREIGN KEY (position_row_id) REFERENCES positions (id)
    ON DELETE RESTRICT,
  CONSTRAINT position_exits_exit_trade_id_fkey FOREIGN KEY (exit_trade_id) REFERENCES trades (trade_id)
    ON DELETE RESTRICT,
  CONSTRAINT position_exits_exit_condition_check CHECK (exit_condition IN
    ('stop_loss', 'circuit_breaker', 'trailing_stop', 'time_based_urgent', 'liquidity_dried_up',
     'profit_target', 'partial_exit_target', 'early_exit', 'edge_disappeared', 'rebalance')),
  CONSTRAINT position_exits_exit_priority_check CHECK (exit_priority IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
  CONSTRAINT position_exits_quantity_exited_check CHECK (quantity_exited > 0),
  CONSTRAINT position_exits_exit_price_check CHECK (exit_price BETWEEN 0 AND 1)
);
CREATE INDEX position_exits_position_id_idx ON position_exits (position_id);
CREATE INDEX position_exits_exit_condition_idx ON position_exits (exit_condition);
CREATE INDEX position_exits_created_at_idx ON position_exits (created_at);
CREATE TRIGGER position_exits_append_only_guard BEFORE UPDATE OR DELETE ON position_exits
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change('exit_id');

-- ===========================================================================
-- §13 exit_attempts (append-only)
-- ===========================================================================

CREATE TABLE exit_attempts (
  attempt_id      BIGINT GENERATED ALWAYS AS IDENTITY,
  position_id     VARCHAR(50)   NOT NULL,
  position_row_id BIGINT        NOT NULL,
  order_id        VARCHAR(100)  NULL,   -- soft link to trades.order_id: a cancelled order has no trade
  exit_condition  VARCHAR(50)   NOT NULL,
  priority_level  VARCHAR(10)   NOT NULL,
  order_type      VARCHAR(10)   NOT NULL,
  limit_price     DECIMAL(10,4) NULL,
  fill_price      DECIMAL(10,4) NULL,
  quantity        INTEGER       NOT NULL,
  attempt_number  INTEGER       NOT NULL,
  timeout_seconds INTEGER       NULL,
  success         BOOLEAN       NOT NULL,
  created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT exit_attempts_pkey PRIMARY KEY (attempt_id),
  CONSTRAINT exit_attempts_position_row_id_fkey FOREIGN KEY (position_row_id) REFERENCES positions (id)
    ON DELETE RESTRICT,
  CONSTRAINT exit_attempts_exit_condition_check CHECK (exit_condition IN
    ('stop_loss', 'circuit_breaker', 'trailing_stop', 'time_based_urgent', 'liquidity_dried_up',
     'profit_target', 'partial_exit_target', 'early_exit', 'edge_disappeared', 'rebalance')),
  CONSTRAINT exit_attempts_priority_level_check CHECK (priority_level IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
  CONSTRAINT exit_attempts_order_type_check CHECK (order_type IN ('market', 'limit')),
  CONSTRAINT exit_attempts_limit_price_check CHECK (limit_price BETWEEN 0 AND 1),
  CONSTRAINT exit_attempts_fill_price_check CHECK (fill_price BETWEEN 0 AND 1),
  CONSTRAINT exit_attempts_quantity_check CHECK (quantity > 0),
  CONSTRAINT exit_attempts_attempt_number_check CHECK (attempt_number > 0),
  CONSTRAINT exit_attempts_timeout_seconds_check CHECK (timeout_seconds > 0),
  CONSTRAINT exit_attempts_limit_order_price_check CHECK ((order_type = 'limit') = (limit_price IS NOT NULL)),
  CONSTRAINT exit_attempts_success_fill_check CHECK (NOT success OR (order_id IS NOT NULL AND fill_price IS NOT NULL))
);
CREATE INDEX exit_attempts_position_id_idx ON exit_attempts (position_id);
CREATE INDEX exit_attempts_order_id_idx ON exit_attempts (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX exit_attempts_success_idx ON exit_attempts (success);
CREATE TRIGGER exit_attempts_append_only_guard BEFORE UPDATE OR DELETE ON exit_attempts
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change('attempt_id');

-- ===========================================================================
-- §14 account_balance (SCD2; business key (platform_id, currency))
-- ===========================================================================

CREATE TABLE account_balance (
  id              BIGINT GENERATED ALWAYS AS IDENTITY,
  platform_id     VARCHAR(50)   NOT NULL,
  currency        VARCHAR(10)   NOT NULL DEFAULT 'USD',
  balance         DECIMAL(14,4) NOT NULL,
  row_current_ind BOOLEAN       NOT NULL DEFAULT TRUE,
  row_start_ts    TIMESTAMPTZ   NOT NULL DEFAULT now(),
  row_end_ts      TIMESTAMPTZ   NULL,
  created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT account_balance_pkey PRIMARY KEY (id),
  CONSTRAINT account_balance_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platforms (platform_id)
    ON DELETE RESTRICT,
  CONSTRAINT account_balance_balance_check CHECK (balance >= 0),
  CONSTRAINT account_balance_row_current_ind_check CHECK (row_current_ind = (row_end_ts IS NULL)),
  CONSTRAINT account_balance_row_end_ts_check CHECK (row_end_ts IS NULL OR row_end_ts >= row_start_ts)
);
CREATE UNIQUE INDEX account_balance_current_platform_id_currency_key
  ON account_balance (platform_id, currency) WHERE row_current_ind;
-- After the partial unique index on purpose: see "SCD2 tables" at the top.
ALTER TABLE account_balance ADD CONSTRAINT account_balance_no_overlap_excl EXCLUDE USING gist
  (platform_id WITH =, currency WITH =, tstzrange(row_start_ts, row_end_ts, '[)') WITH &&);
CREATE INDEX account_balance_platform_id_currency_row_start_ts_idx
  ON account_balance (platform_id, currency, row_start_ts);
CREATE INDEX account_balance_row_end_ts_idx ON account_balance (row_end_ts) WHERE row_end_ts IS NOT NULL;
CREATE TRIGGER account_balance_history_update_guard BEFORE UPDATE ON account_balance
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('platform_id,currency');
CREATE TRIGGER account_balance_history_delete_guard BEFORE DELETE ON account_balance
  FOR EACH ROW EXECUTE FUNCTION scd2_guard_history('platform_id,currency');

-- ===========================================================================
-- §15 Views over current rows. SELECT * is expanded when a view is created: recreate
-- the view when its table gains columns.
-- ===========================================================================

CREATE VIEW current_markets AS
  SELECT * FROM markets WHERE row_current_ind;

CREATE VIEW current_game_states AS
  SELECT * FROM game_states WHERE row_current_ind;

CREATE VIEW current_edges AS
  SELECT * FROM edges WHERE row_current_ind;

CREATE VIEW current_balances AS
  SELECT * FROM account_balance WHERE row_current_ind;

CREATE VIEW open_positions AS
  SELECT * FROM positions WHERE row_current_ind AND status = 'open';

-- Every open position, with is_urgent (upstream v1.5 rules, in order):
--   1. no current price                              -> not urgent
--   2. trailing stop active and price within 2% of it -> urgent (a zero price skips this
--      rule: NULLIF makes the ratio NULL instead of raising division_by_zero)
--   3. unrealized P&L below -13% (2 points above the -15% stop-loss) -> urgent
--   4. otherwise                                      -> not urgent
CREATE VIEW positions_urgent_monitoring AS
  SELECT p.*,
         CASE
           WHEN p.current_price IS NULL THEN FALSE
           WHEN (p.trailing_stop_state ->> 'active') = 'true'
                AND abs(p.current_price - (p.trailing_stop_state ->> 'current_stop_price')::DECIMAL(10,4))
                    / NULLIF(p.current_price, 0) < 0.02 THEN TRUE
           WHEN p.unrealized_pnl_pct IS NOT NULL AND p.unrealized_pnl_pct < -0.13 THEN TRUE
           ELSE FALSE
         END AS is_urgent
    FROM positions p
   WHERE p.row_current_ind AND p.status = 'open';
