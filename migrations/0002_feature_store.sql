-- Feature store (DESIGN.md §4): versioned, immutable feature definitions and a
-- bitemporal history of values, each tied to exactly one typed entity.

CREATE TABLE feature_definitions (
    feature_id          INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feature_name        VARCHAR(100) NOT NULL,
    feature_version     VARCHAR(20)  NOT NULL,
    entity_type         VARCHAR(10)  NOT NULL,
    sport               VARCHAR(20)  NULL,
    category            VARCHAR(50)  NOT NULL,
    data_type           VARCHAR(20)  NOT NULL DEFAULT 'float',
    unit                VARCHAR(30)  NULL,
    description         TEXT         NOT NULL,
    -- How the value is computed, parameters included: a change is a new version.
    calculation_method  JSONB        NOT NULL,
    status              VARCHAR(20)  NOT NULL DEFAULT 'active',
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    created_by          VARCHAR(100) NULL,
    CONSTRAINT feature_definitions_name_version_key UNIQUE (feature_name, feature_version),
    -- Target of features_historical's composite FK: a value's entity kind must be its definition's.
    CONSTRAINT feature_definitions_id_entity_type_key UNIQUE (feature_id, entity_type),
    CONSTRAINT feature_definitions_feature_name_check CHECK (feature_name ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT feature_definitions_feature_version_check CHECK (feature_version ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    CONSTRAINT feature_definitions_entity_type_check CHECK (entity_type IN ('team', 'player', 'event', 'market')),
    CONSTRAINT feature_definitions_data_type_check CHECK (data_type IN ('float', 'integer', 'boolean', 'probability')),
    CONSTRAINT feature_definitions_status_check CHECK (status IN ('active', 'deprecated'))
);

-- A registered version is immutable: only its status may change.
CREATE FUNCTION feature_definitions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed TEXT[] := ARRAY[]::TEXT[];
BEGIN
    IF NEW.feature_id IS DISTINCT FROM OLD.feature_id THEN changed := changed || 'feature_id'::TEXT; END IF;
    IF NEW.feature_name IS DISTINCT FROM OLD.feature_name THEN changed := changed || 'feature_name'::TEXT; END IF;
    IF NEW.feature_version IS DISTINCT FROM OLD.feature_version THEN changed := changed || 'feature_version'::TEXT; END IF;
    IF NEW.entity_type IS DISTINCT FROM OLD.entity_type THEN changed := changed || 'entity_type'::TEXT; END IF;
    IF NEW.sport IS DISTINCT FROM OLD.sport THEN changed := changed || 'sport'::TEXT; END IF;
    IF NEW.category IS DISTINCT FROM OLD.category THEN changed := changed || 'category'::TEXT; END IF;
    IF NEW.data_type IS DISTINCT FROM OLD.data_type THEN changed := changed || 'data_type'::TEXT; END IF;
    IF NEW.unit IS DISTINCT FROM OLD.unit THEN changed := changed || 'unit'::TEXT; END IF;
    IF NEW.description IS DISTINCT FROM OLD.description THEN changed := changed || 'description'::TEXT; END IF;
    IF NEW.calculation_method IS DISTINCT FROM OLD.calculation_method THEN changed := changed || 'calculation_method'::TEXT; END IF;
    IF NEW.created_at IS DISTINCT FROM OLD.created_at THEN changed := changed || 'created_at'::TEXT; END IF;
    IF NEW.created_by IS DISTINCT FROM OLD.created_by THEN changed := changed || 'created_by'::TEXT; END IF;
    IF cardinality(changed) > 0 THEN
        RAISE EXCEPTION 'feature_definitions % @ % is immutable: % cannot change (register a new version)',
            OLD.feature_name, OLD.feature_version, array_to_string(changed, ', ')
            USING ERRCODE = 'P0001', TABLE = 'feature_definitions',
                  CONSTRAINT = 'feature_definitions_immutable';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER feature_definitions_immutable_trg
    BEFORE UPDATE ON feature_definitions
    FOR EACH ROW EXECUTE FUNCTION feature_definitions_immutable();

CREATE FUNCTION feature_definitions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'feature_definitions % @ % cannot be deleted (deprecate it instead)',
        OLD.feature_name, OLD.feature_version
        USING ERRCODE = 'P0001', TABLE = 'feature_definitions', CONSTRAINT = 'feature_definitions_no_delete';
END $$;

CREATE TRIGGER feature_definitions_no_delete_trg
    BEFORE DELETE ON feature_definitions
    FOR EACH ROW EXECUTE FUNCTION feature_definitions_no_delete();

CREATE TABLE features_historical (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY,
    feature_id            INTEGER      NOT NULL,
    -- Copied from the definition and pinned to it by the composite FK below, so the
    -- database itself checks that the entity column set matches the definition's kind.
    entity_type           VARCHAR(10)  NOT NULL,
    team_id               INTEGER      NULL,
    player_id             INTEGER      NULL,
    event_id              VARCHAR(100) NULL,
    -- The market's business key: markets is SCD2, so no FK can target it; a constraint
    -- trigger checks that a version with this market_id exists.
    market_id             VARCHAR(100) NULL,
    -- One text key over whichever entity column is set: one index serves every kind.
    entity_key            VARCHAR(100) GENERATED ALWAYS AS
                              (COALESCE(team_id::TEXT, player_id::TEXT, event_id, market_id)) STORED,
    -- Event time: when the value became true.
    "timestamp"           TIMESTAMPTZ  NOT NULL,
    -- Knowledge time: when a trader could first have seen it.
    available_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    feature_value         DOUBLE PRECISION NOT NULL,
    external_source       VARCHAR(50)  NOT NULL,
    external_reference_id VARCHAR(200) NULL,
    metadata              JSONB        NULL,
    created_at            TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- Every unique key carries "timestamp" so the table can be range-partitioned on it.
    CONSTRAINT features_historical_pkey PRIMARY KEY (id, "timestamp"),
    -- One value per (feature, entity, event time, knowledge time): corrections are new
    -- rows with a later available_at; the key also serves point-in-time lookups.
    CONSTRAINT features_historical_value_key UNIQUE (feature_id, entity_key, "timestamp", available_at),
    CONSTRAINT features_historical_feature_entity_fkey FOREIGN KEY (feature_id, entity_type)
        REFERENCES feature_definitions (feature_id, entity_type) ON DELETE RESTRICT,
    CONSTRAINT features_historical_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (team_id) ON DELETE RESTRICT,
    CONSTRAINT features_historical_player_id_fkey FOREIGN KEY (player_id) REFERENCES players (player_id) ON DELETE RESTRICT,
    CONSTRAINT features_historical_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (event_id) ON DELETE RESTRICT,
    CONSTRAINT features_historical_one_entity_check CHECK (num_nonnulls(team_id, player_id, event_id, market_id) = 1),
    CONSTRAINT features_historical_entity_type_check CHECK (
        CASE entity_type
            WHEN 'team' THEN team_id IS NOT NULL
            WHEN 'player' THEN player_id IS NOT NULL
            WHEN 'event' THEN event_id IS NOT NULL
            WHEN 'market' THEN market_id IS NOT NULL
            ELSE FALSE
        END),
    CONSTRAINT features_historical_finite_value_check
        CHECK (feature_value NOT IN ('NaN'::FLOAT8, 'Infinity'::FLOAT8, '-Infinity'::FLOAT8))
);

CREATE INDEX features_historical_available_at_idx ON features_historical (available_at);

CREATE FUNCTION features_historical_market_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM markets WHERE market_id = NEW.market_id) THEN
        RAISE EXCEPTION 'features_historical: market_id % does not exist', NEW.market_id
            USING ERRCODE = '23503', TABLE = 'features_historical',
                  CONSTRAINT = 'features_historical_market_id_fkey';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER features_historical_market_id_fkey
    AFTER INSERT OR UPDATE OF market_id ON features_historical
    FOR EACH ROW WHEN (NEW.market_id IS NOT NULL)
    EXECUTE FUNCTION features_historical_market_exists();

-- History is append-only: a correction is a new row, never an UPDATE.
CREATE FUNCTION features_historical_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'features_historical is append-only: % rejected (a correction is a new row with a later available_at)', TG_OP
        USING ERRCODE = 'P0001', TABLE = 'features_historical', CONSTRAINT = 'features_historical_append_only';
END $$;

CREATE TRIGGER features_historical_append_only_trg
    BEFORE UPDATE OR DELETE ON features_historical
    FOR EACH ROW EXECUTE FUNCTION features_historical_append_only();
