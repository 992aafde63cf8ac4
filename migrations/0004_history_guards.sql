-- History the database itself protects (issue 28 §2), on every SCD2 table and on the
-- append-only history of the feature store and the ML log:
--   * TRUNCATE is refused (a statement-level trigger: TRUNCATE fires no row triggers, so the
--     guards of migration 0001 never saw it);
--   * no zero-length version: a version ends strictly after it starts. Closing the current
--     version at its own start and inserting a replacement would rewrite the as-of answer
--     for that very instant. Rows written before this migration are not re-checked (NOT VALID);
--   * no version inserted at or before the start of an existing version of the same key:
--     a new version starts strictly after every version already stored, so a version can
--     never be slipped into a gap of closed history.
--
-- Trigger errors (see src/db/constraint-rules.ts for the same list):
--   PR005  '<table> cannot be truncated: history is never deleted'
--   PR006  '<table> <key>: a version from <t> is not after the existing version from <t>'

CREATE FUNCTION reject_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING
    ERRCODE = 'PR005',
    MESSAGE = format('%s cannot be truncated: history is never deleted', TG_TABLE_NAME),
    SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
END;
$$;

-- AFTER INSERT, per statement, over the statement's new rows: refuses a new version whose
-- key already had (before this statement) a version starting at or after it. Several
-- versions of one key in one statement are ordered by the EXCLUDE and CHECK constraints.
-- Argument: TG_ARGV[0] = business-key columns, comma-separated (code constants).
CREATE FUNCTION scd2_reject_backdated_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  key_columns text[] := string_to_array(TG_ARGV[0], ',');
  join_on text;
  key_label text;
  bad record;
BEGIN
  SELECT string_agg(format('t.%1$I = n.%1$I', k), ' AND '),
         string_agg(format('%1$L || ''='' || n.%1$I', k), ' || '', '' || ')
    INTO join_on, key_label
    FROM unnest(key_columns) AS k;
  EXECUTE format(
    'SELECT %s AS key, n.row_start_ts AS new_start, t.row_start_ts AS old_start
       FROM new_rows n JOIN %I.%I t ON %s
      WHERE t.row_start_ts >= n.row_start_ts
        AND NOT EXISTS (SELECT 1 FROM new_rows m WHERE m.id = t.id)
      LIMIT 1',
    key_label, TG_TABLE_SCHEMA, TG_TABLE_NAME, join_on)
    INTO bad;
  IF bad.key IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'PR006',
      MESSAGE = format('%s %s: a version from %s is not after the existing version from %s: history is never rewritten',
                       TG_TABLE_NAME, bad.key, bad.new_start, bad.old_start),
      HINT = 'A new version starts strictly after the current one.',
      SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
  END IF;
  RETURN NULL;
END;
$$;

-- markets
ALTER TABLE markets DROP CONSTRAINT markets_row_end_ts_check;
ALTER TABLE markets ADD CONSTRAINT markets_row_end_ts_check
  CHECK (row_end_ts IS NULL OR row_end_ts > row_start_ts) NOT VALID;
CREATE TRIGGER markets_backdated_version_guard AFTER INSERT ON markets
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scd2_reject_backdated_version('market_id');
CREATE TRIGGER markets_truncate_guard BEFORE TRUNCATE ON markets
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();

-- game_states
ALTER TABLE game_states DROP CONSTRAINT game_states_row_end_ts_check;
ALTER TABLE game_states ADD CONSTRAINT game_states_row_end_ts_check
  CHECK (row_end_ts IS NULL OR row_end_ts > row_start_ts) NOT VALID;
CREATE TRIGGER game_states_backdated_version_guard AFTER INSERT ON game_states
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scd2_reject_backdated_version('platform_id,external_game_id');
CREATE TRIGGER game_states_truncate_guard BEFORE TRUNCATE ON game_states
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();

-- edges
ALTER TABLE edges DROP CONSTRAINT edges_row_end_ts_check;
ALTER TABLE edges ADD CONSTRAINT edges_row_end_ts_check
  CHECK (row_end_ts IS NULL OR row_end_ts > row_start_ts) NOT VALID;
CREATE TRIGGER edges_backdated_version_guard AFTER INSERT ON edges
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scd2_reject_backdated_version('edge_id');
CREATE TRIGGER edges_truncate_guard BEFORE TRUNCATE ON edges
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();

-- positions
ALTER TABLE positions DROP CONSTRAINT positions_row_end_ts_check;
ALTER TABLE positions ADD CONSTRAINT positions_row_end_ts_check
  CHECK (row_end_ts IS NULL OR row_end_ts > row_start_ts) NOT VALID;
CREATE TRIGGER positions_backdated_version_guard AFTER INSERT ON positions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scd2_reject_backdated_version('position_id');
CREATE TRIGGER positions_truncate_guard BEFORE TRUNCATE ON positions
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();

-- account_balance
ALTER TABLE account_balance DROP CONSTRAINT account_balance_row_end_ts_check;
ALTER TABLE account_balance ADD CONSTRAINT account_balance_row_end_ts_check
  CHECK (row_end_ts IS NULL OR row_end_ts > row_start_ts) NOT VALID;
CREATE TRIGGER account_balance_backdated_version_guard AFTER INSERT ON account_balance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scd2_reject_backdated_version('platform_id,currency');
CREATE TRIGGER account_balance_truncate_guard BEFORE TRUNCATE ON account_balance
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();

-- The append-only history beside them.
CREATE TRIGGER trades_truncate_guard BEFORE TRUNCATE ON trades
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();
CREATE TRIGGER settlements_truncate_guard BEFORE TRUNCATE ON settlements
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();
CREATE TRIGGER position_exits_truncate_guard BEFORE TRUNCATE ON position_exits
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();
CREATE TRIGGER exit_attempts_truncate_guard BEFORE TRUNCATE ON exit_attempts
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();
CREATE TRIGGER feature_definitions_truncate_guard BEFORE TRUNCATE ON feature_definitions
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();
CREATE TRIGGER features_historical_truncate_guard BEFORE TRUNCATE ON features_historical
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();
CREATE TRIGGER training_datasets_truncate_guard BEFORE TRUNCATE ON training_datasets
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();
CREATE TRIGGER model_training_runs_truncate_guard BEFORE TRUNCATE ON model_training_runs
  FOR EACH STATEMENT EXECUTE FUNCTION reject_truncate();
