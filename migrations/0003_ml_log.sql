-- The ML log (DESIGN.md §5–6): registered training datasets and every training run.

CREATE TABLE training_datasets (
    dataset_id        INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_name      VARCHAR(100) NOT NULL,
    dataset_version   VARCHAR(20)  NOT NULL,
    sport             VARCHAR(20)  NULL,
    start_date        DATE         NULL,
    end_date          DATE         NULL,
    feature_ids       INTEGER[]    NOT NULL,
    target_variable   VARCHAR(100) NOT NULL,
    row_count         INTEGER      NOT NULL,
    start_event_id    VARCHAR(100) NULL,
    end_event_id      VARCHAR(100) NULL,
    -- Every value in the file had available_at <= this instant: the dataset can be
    -- rebuilt byte-identical from the store at any later time.
    knowledge_cutoff  TIMESTAMPTZ  NOT NULL,
    -- The spec, the file path, its sha256 and the leakage audit.
    metadata          JSONB        NOT NULL,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT training_datasets_name_version_key UNIQUE (dataset_name, dataset_version),
    CONSTRAINT training_datasets_row_count_check CHECK (row_count >= 0),
    CONSTRAINT training_datasets_dates_check CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    CONSTRAINT training_datasets_start_event_id_fkey FOREIGN KEY (start_event_id) REFERENCES events (event_id) ON DELETE RESTRICT,
    CONSTRAINT training_datasets_end_event_id_fkey FOREIGN KEY (end_event_id) REFERENCES events (event_id) ON DELETE RESTRICT,
    CONSTRAINT training_datasets_metadata_check CHECK (
        metadata ? 'file_path' AND metadata ? 'sha256' AND metadata ? 'audit' AND metadata ? 'spec')
);

-- A built version is immutable: rebuilding it with other content is a new version.
CREATE FUNCTION training_datasets_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'training_datasets % @ % is immutable: % rejected (build a new version)',
        OLD.dataset_name, OLD.dataset_version, TG_OP
        USING ERRCODE = 'P0001', TABLE = 'training_datasets', CONSTRAINT = 'training_datasets_immutable';
END $$;

CREATE TRIGGER training_datasets_immutable_trg
    BEFORE UPDATE OR DELETE ON training_datasets
    FOR EACH ROW EXECUTE FUNCTION training_datasets_immutable();

CREATE TABLE model_training_runs (
    run_id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id                  INTEGER      NOT NULL,
    dataset_id                INTEGER      NULL,
    hyperparameters           JSONB        NOT NULL,
    metrics                   JSONB        NULL,
    training_duration_seconds DOUBLE PRECISION NULL,
    status                    VARCHAR(20)  NOT NULL DEFAULT 'running',
    error_message             TEXT         NULL,
    -- Where the model, predictions and plots were written, and what ran them.
    artifacts                 JSONB        NULL,
    backend                   VARCHAR(20)  NULL,
    -- Liveness of a running run: a run whose heartbeat stops is reaped as failed.
    heartbeat_at              TIMESTAMPTZ  NOT NULL DEFAULT now(),
    pid                       INTEGER      NULL,
    hostname                  VARCHAR(255) NULL,
    created_at                TIMESTAMPTZ  NOT NULL DEFAULT now(),
    completed_at              TIMESTAMPTZ  NULL,
    CONSTRAINT model_training_runs_model_id_fkey FOREIGN KEY (model_id)
        REFERENCES probability_models (model_id) ON DELETE RESTRICT,
    CONSTRAINT model_training_runs_dataset_id_fkey FOREIGN KEY (dataset_id)
        REFERENCES training_datasets (dataset_id) ON DELETE RESTRICT,
    CONSTRAINT model_training_runs_status_check CHECK (status IN ('running', 'completed', 'failed')),
    CONSTRAINT model_training_runs_completed_at_check CHECK ((status = 'running') = (completed_at IS NULL)),
    CONSTRAINT model_training_runs_failed_error_check CHECK (status <> 'failed' OR error_message IS NOT NULL),
    CONSTRAINT model_training_runs_completed_metrics_check CHECK (status <> 'completed' OR metrics IS NOT NULL),
    CONSTRAINT model_training_runs_duration_check CHECK (training_duration_seconds IS NULL OR training_duration_seconds >= 0)
);

CREATE INDEX model_training_runs_model_id_idx ON model_training_runs (model_id);
CREATE INDEX model_training_runs_dataset_id_idx ON model_training_runs (dataset_id);
CREATE INDEX model_training_runs_running_idx ON model_training_runs (heartbeat_at) WHERE status = 'running';

-- running → completed | failed; a finished run is a record and never changes again.
CREATE FUNCTION model_training_runs_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'model_training_runs % cannot be deleted', OLD.run_id
            USING ERRCODE = 'P0001', TABLE = 'model_training_runs', CONSTRAINT = 'model_training_runs_transition';
    END IF;
    IF OLD.status <> 'running' THEN
        RAISE EXCEPTION 'model_training_runs % is % and can no longer change', OLD.run_id, OLD.status
            USING ERRCODE = 'P0001', TABLE = 'model_training_runs', CONSTRAINT = 'model_training_runs_transition';
    END IF;
    IF NEW.run_id IS DISTINCT FROM OLD.run_id OR NEW.model_id IS DISTINCT FROM OLD.model_id
       OR NEW.dataset_id IS DISTINCT FROM OLD.dataset_id OR NEW.hyperparameters IS DISTINCT FROM OLD.hyperparameters
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'model_training_runs %: model, dataset, hyperparameters and created_at are fixed at start', OLD.run_id
            USING ERRCODE = 'P0001', TABLE = 'model_training_runs', CONSTRAINT = 'model_training_runs_transition';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER model_training_runs_transition_trg
    BEFORE UPDATE OR DELETE ON model_training_runs
    FOR EACH ROW EXECUTE FUNCTION model_training_runs_transition();

-- edges name the run whose probabilities produced them (trading-schema.md §16).
ALTER TABLE edges
    ADD CONSTRAINT edges_training_run_id_fkey FOREIGN KEY (training_run_id)
        REFERENCES model_training_runs (run_id) ON DELETE RESTRICT;
