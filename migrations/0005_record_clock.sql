-- The record clock: features_historical becomes bitemporal plus the time the database
-- recorded each row, and a dataset's knowledge cutoff filters on that record time.
--
-- Why a third clock: available_at is input (a backfill may set it years into the past), so
-- a cutoff on available_at alone lets a value ingested after a build change what a rebuild
-- of that build produces. recorded_at is set by the database while the inserting
-- transaction runs, and a build pins its cutoff so that nothing committed afterwards can
-- carry a recorded time at or before it:
--   1. every insert into features_historical holds the record-clock lock in shared mode
--      from before its rows get their recorded_at until its transaction ends (Precog's
--      ingest takes it before its INSERT; the check below takes it for any other writer);
--   2. a build pins its cutoff under the same lock in exclusive mode — so it waits for
--      every recording transaction to commit — and raises the pinned floor to it;
--   3. the check below refuses rows recorded at or before the floor (a raw writer that
--      recorded before a pin but committed after it), or outside their own transaction.
-- The floor is a sequence because sequences are not transactional: a writer in a
-- REPEATABLE READ transaction still reads the latest pin, not its snapshot's.

ALTER TABLE features_historical ADD COLUMN recorded_at TIMESTAMPTZ;

-- Rows that predate the record clock were recorded when their transaction began.
ALTER TABLE features_historical DISABLE TRIGGER features_historical_append_only_trg;
UPDATE features_historical SET recorded_at = created_at;
ALTER TABLE features_historical ENABLE TRIGGER features_historical_append_only_trg;

ALTER TABLE features_historical
    ALTER COLUMN recorded_at SET NOT NULL,
    -- The start of the inserting statement: after the shared lock an ingest takes first.
    ALTER COLUMN recorded_at SET DEFAULT statement_timestamp();

-- Microseconds since the Unix epoch of the latest pinned knowledge cutoff.
CREATE SEQUENCE knowledge_cutoff_floor_us AS BIGINT MINVALUE 0 START 0;
SELECT setval('knowledge_cutoff_floor_us',
              GREATEST(0, COALESCE((SELECT floor(extract(epoch FROM LEAST(max(knowledge_cutoff), now())) * 1000000)::BIGINT
                                      FROM training_datasets), 0)),
              true);

-- The lock both sides take: the ingest namespace ('prec') with key 0 (feature ids are > 0).
CREATE FUNCTION precog_hold_record_clock() RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock_shared(1886545251, 0)
$$;

CREATE FUNCTION precog_knowledge_cutoff_floor() RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT 'epoch'::timestamptz + last_value * interval '1 microsecond' FROM knowledge_cutoff_floor_us
$$;

-- Pins a knowledge cutoff: waits for every transaction that is recording values, then
-- returns `requested` (or, when null, the current instant) and raises the floor to it. A
-- requested cutoff later than the current instant is capped to it: no value recorded
-- after a pin can ever fall inside a pinned cutoff (the caller refuses future cutoffs
-- with a clear message before calling). Run it in its own short transaction: the lock
-- is held until that transaction ends.
CREATE FUNCTION precog_pin_knowledge_cutoff(requested timestamptz) RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
    pinned timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(1886545251, 0);
    -- Milliseconds: the cutoff travels as a JavaScript Date and is stored as the dataset's.
    pinned := date_trunc('milliseconds', LEAST(COALESCE(requested, clock_timestamp()), clock_timestamp()));
    PERFORM setval('knowledge_cutoff_floor_us',
                   GREATEST((SELECT last_value FROM knowledge_cutoff_floor_us),
                            floor(extract(epoch FROM pinned) * 1000000)::BIGINT));
    RETURN pinned;
END $$;

CREATE FUNCTION features_historical_check_record_clock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    floor_at timestamptz;
    bad RECORD;
BEGIN
    PERFORM precog_hold_record_clock();
    floor_at := precog_knowledge_cutoff_floor();
    SELECT n.recorded_at, n.feature_id, n.entity_key INTO bad FROM new_rows n
     WHERE n.recorded_at <= floor_at OR n.recorded_at < now() OR n.recorded_at > clock_timestamp() LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'features_historical: recorded_at % of feature % entity % is not this transaction''s own time after the last pinned knowledge cutoff (%): recorded_at is set by the database; retry the insert',
            bad.recorded_at, bad.feature_id, bad.entity_key, floor_at
            USING ERRCODE = 'PR010', TABLE = 'features_historical', CONSTRAINT = 'features_historical_record_clock';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER features_historical_check_record_clock_trg
    AFTER INSERT ON features_historical
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION features_historical_check_record_clock();
