import { sql } from 'kysely';
import type { PrecogDb } from '../db/connection.js';
import type { Session } from '../db/session.js';
import { translateDatabaseError } from '../db/constraint-errors.js';
import { InvalidInputError, MAX_REPORTED_PROBLEMS, PrecogError, type InputProblem } from '../errors.js';
import { IngestFailedError } from './errors.js';
import { ENTITY_KEYS } from './entity-keys.js';
import { validateIngestRecord, type IngestRow } from './ingest-row.js';
import { iterableRecords, readFileRecords, type FeatureValueInput, type SourceItem } from './ingest-sources.js';

/** What an ingest did, row by row. */
export interface IngestReport {
  readonly source: string;
  /** Records read from the input. */
  readonly read: number;
  /** New values: nothing was stored for their (feature, entity, timestamp) before. */
  readonly inserted: number;
  /** New rows whose (feature, entity, timestamp) already had a different value. */
  readonly corrected: number;
  /** Rows that changed nothing: the same value was already known at their available_at. */
  readonly unchanged: number;
}

export interface IngestOptions {
  /** `external_source` for rows that leave it empty (default 'import'). */
  readonly defaultSource?: string;
  /** Called every few thousand records with the count read so far. */
  readonly onProgress?: (read: number) => void;
}

/** Namespace of the advisory locks that serialize concurrent ingests of one feature. */
const INGEST_LOCK_NAMESPACE = 0x70726563; // 'prec'

const STAGE_COLUMNS = `line, feature_name, feature_version, entity, ts, available_at, value, source, ref, metadata`;

function csvText(value: string | null): string {
  return value === null ? '' : `"${value.replace(/"/g, '""')}"`;
}

function stageLine(r: IngestRow): string {
  return (
    [
      String(r.line),
      csvText(r.featureName),
      csvText(r.featureVersion),
      csvText(r.entity),
      r.timestamp,
      r.availableAt ?? '',
      String(r.value),
      csvText(r.externalSource),
      csvText(r.externalReferenceId),
      csvText(r.metadata),
    ].join(',') + '\n'
  );
}

/** Validates records as they stream and yields staging CSV, collecting problems on the way. */
async function* stageCsv(
  source: string,
  items: AsyncIterable<SourceItem>,
  defaultSource: string,
  state: { read: number; problems: InputProblem[]; problemCount: number },
  onProgress?: (read: number) => void,
): AsyncGenerator<string> {
  let chunk = '';
  const addProblem = (p: InputProblem) => {
    state.problemCount += 1;
    if (state.problems.length < MAX_REPORTED_PROBLEMS) state.problems.push(p);
  };
  for await (const item of items) {
    if ('problem' in item) {
      addProblem(item.problem);
      continue;
    }
    state.read += 1;
    if (onProgress && state.read % 5000 === 0) onProgress(state.read);
    const checked = validateIngestRecord(source, item.record, defaultSource);
    if (!checked.row) {
      checked.problems.forEach(addProblem);
      continue;
    }
    // Once the input is known to be bad, keep validating (to report) but stop staging.
    if (state.problemCount > 0) continue;
    chunk += stageLine(checked.row);
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

interface ProblemRow {
  line: number;
  column: string;
  value: string;
  reason: string;
}

/**
 * Ingests records into features_historical inside the session's transaction.
 *
 * Rules: every record is validated (types, ranges, known feature, known entity of the
 * feature's kind); any problem rejects the whole input with an {@link InvalidInputError}
 * naming file, line, column and value (first 20). A record whose value was already known
 * at its `available_at` (default: the instant the ingest holds its locks) is unchanged; any other is a
 * new row — never an UPDATE — and counts as a correction when its (feature, entity,
 * timestamp) already had a value. Two records of one input with the same key and
 * knowledge time but different values are a conflict. Ingests touching the same feature
 * serialize on an advisory lock, so concurrent ingests cannot both insert a value.
 */
export async function ingestRecords(
  session: Session,
  source: string,
  items: AsyncIterable<SourceItem>,
  options: IngestOptions = {},
): Promise<IngestReport> {
  const trx = session.db;
  const state = { read: 0, problems: [] as InputProblem[], problemCount: 0 };
  await sql`drop table if exists precog_stage`.execute(trx);
  await sql`create temp table precog_stage (
      line integer not null, feature_name text not null, feature_version text not null,
      entity text not null, ts timestamptz not null, available_at timestamptz,
      value float8 not null, source text not null, ref text, metadata jsonb
    ) on commit drop`.execute(trx);
  await session.copyFrom(
    `COPY precog_stage (${STAGE_COLUMNS}) FROM STDIN WITH (FORMAT csv)`,
    stageCsv(source, items, options.defaultSource ?? 'import', state, options.onProgress),
  );
  if (state.problemCount > 0) throw new InvalidInputError(source, state.problems, state.problemCount);

  await resolveStage(session);
  const dbProblems = await sql<ProblemRow & { total: number }>`
    with p as (
      select line, 'feature' as "column", feature_name || '@' || feature_version as value,
             'unknown feature (register it first)' as reason
        from precog_resolved where feature_id is null
      union all
      select line, 'entity', entity,
             case when ambiguous then 'matches more than one ' || entity_type
                  else 'no ' || entity_type || ' with this key (feature ' || feature_name || '@' ||
                       feature_version || ' describes ' || entity_type || 's)' end
        from precog_resolved where feature_id is not null and (entity_key is null or ambiguous)
    )
    select line, "column", value, reason, (count(*) over ())::int as total from p order by line limit ${MAX_REPORTED_PROBLEMS}
  `.execute(trx);
  if (dbProblems.rows.length > 0) {
    throw new InvalidInputError(
      source,
      dbProblems.rows.map((r) => ({ file: source, line: r.line, column: r.column, value: r.value, reason: r.reason })),
      dbProblems.rows[0]!.total,
    );
  }

  // Serialize with any other ingest of the same features (in feature order: no deadlock).
  await sql`select pg_advisory_xact_lock(${INGEST_LOCK_NAMESPACE}, feature_id)
            from (select distinct feature_id from precog_resolved order by 1) f`.execute(trx);
  // Hold the record clock until commit: a build pinning its cutoff waits for these rows,
  // so their recorded_at (the INSERT's start, below) can never fall inside a pinned
  // cutoff that did not see them (migration 0005).
  await sql`select precog_hold_record_clock()`.execute(trx);
  // The default knowledge time is read only now: an ingest that waited for another one's
  // lock knows that one's values, and must not store them again as its own.
  await sql`update precog_resolved set available_at = (select clock_timestamp()) where default_available_at`.execute(trx);

  const counts = (await findDuplicates(session, source))
    ? await insertClassified(session, source)
    : await insertFresh(session);
  return { source, read: state.read, ...counts };
}

type Counts = { inserted: number; corrected: number; unchanged: number };

/**
 * Finds keys (feature, entity, timestamp, available_at) given more than once in the input;
 * the same value twice is a harmless duplicate, different values a conflict (rejected,
 * naming the lines). One hash aggregation; returns whether any duplicate exists.
 */
async function findDuplicates(session: Session, source: string): Promise<boolean> {
  const trx = session.db;
  await sql`drop table if exists precog_dups`.execute(trx);
  await sql`create temp table precog_dups on commit drop as
    select feature_id, entity_key, ts, available_at, min(value) <> max(value) as conflict
      from precog_resolved group by feature_id, entity_key, ts, available_at having count(*) > 1`.execute(trx);
  const conflicts = await sql<ProblemRow & { total: number }>`
    with c as (
      select min(r.line) as line, array_agg(r.line order by r.line) as lines, min(r.entity) as entity, r.ts
        from precog_dups d
        join precog_resolved r using (feature_id, entity_key, ts, available_at)
       where d.conflict
       group by r.feature_id, r.entity_key, r.ts, r.available_at
    )
    select line, 'value' as "column", entity || ' @ ' || ts::text as value,
           'conflicting values for the same feature, entity, timestamp and available_at on lines ' ||
           array_to_string(lines, ', ') as reason, (count(*) over ())::int as total
      from c order by line limit ${MAX_REPORTED_PROBLEMS}`.execute(trx);
  if (conflicts.rows.length > 0) {
    throw new InvalidInputError(
      source,
      conflicts.rows.map((r) => ({ file: source, line: r.line, column: r.column, value: r.value, reason: r.reason })),
      conflicts.rows[0]!.total,
    );
  }
  const { rows } = await sql<{ dup: boolean; history: boolean }>`
    select exists (select 1 from precog_dups) as dup,
           exists (select 1 from (select distinct feature_id from precog_resolved) f
                    where exists (select 1 from features_historical h where h.feature_id = f.feature_id)) as history`.execute(trx);
  return rows[0]!.dup || rows[0]!.history;
}

/** The bulk-load fast path: no stored history for these features, no duplicates: insert all. */
async function insertFresh(session: Session): Promise<Counts> {
  const result = await sql`
    insert into features_historical
      (feature_id, entity_type, team_id, player_id, event_id, market_id, "timestamp", available_at,
       feature_value, external_source, external_reference_id, metadata)
    select feature_id, entity_type, team_id, player_id, event_id, market_id, ts, available_at,
           value, source, ref, metadata
      from precog_resolved order by line`.execute(session.db);
  return { inserted: Number(result.numAffectedRows ?? 0), corrected: 0, unchanged: 0 };
}

/**
 * The general path: rows whose value was already known at their available_at are
 * unchanged; the rest are inserted, as corrections when their key already had a value.
 */
async function insertClassified(session: Session, source: string): Promise<Counts> {
  await classify(session, source);
  const counts = await sql<Counts>`
    with changed as (
      insert into features_historical
        (feature_id, entity_type, team_id, player_id, event_id, market_id, "timestamp", available_at,
         feature_value, external_source, external_reference_id, metadata)
      select feature_id, entity_type, team_id, player_id, event_id, market_id, ts, available_at,
             value, source, ref, metadata
        from precog_classified where is_new
       order by line
      returning 1
    )
    select (count(*) filter (where is_new and not had_prior))::int as inserted,
           (count(*) filter (where is_new and had_prior))::int as corrected,
           (select count(*) from precog_resolved)::int - (count(*) filter (where is_new))::int as unchanged
      from precog_classified`.execute(session.db);
  return counts.rows[0]!;
}

/** Joins staged rows to their feature definitions and entity keys (precog_resolved). */
async function resolveStage(session: Session): Promise<void> {
  const trx = session.db;
  await sql`drop table if exists precog_entity_keys`.execute(trx);
  await sql`create temp table precog_entity_keys on commit drop as ${ENTITY_KEYS}`.execute(trx);
  await sql`drop table if exists precog_resolved`.execute(trx);
  await sql`create temp table precog_resolved on commit drop as
    select s.line, s.feature_name, s.feature_version, s.entity, s.ts,
           coalesce(s.available_at, now()) as available_at, s.available_at is null as default_available_at,
           s.value, s.source, s.ref, s.metadata,
           d.feature_id, d.entity_type, k.entity_id as entity_key, coalesce(k.ambiguous, false) as ambiguous,
           case when d.entity_type = 'team' then k.entity_id::int end as team_id,
           case when d.entity_type = 'player' then k.entity_id::int end as player_id,
           case when d.entity_type = 'event' then k.entity_id end as event_id,
           case when d.entity_type = 'market' then k.entity_id end as market_id
      from precog_stage s
      left join feature_definitions d
        on d.feature_name = s.feature_name and d.feature_version = s.feature_version
      left join precog_entity_keys k
        on k.entity_type = d.entity_type
       and k.key = case when d.entity_type = 'team' then lower(s.entity) else s.entity end
       and (k.sport is null or d.sport is null or k.sport = d.sport)`.execute(trx);
}

/** Classifies rows against the stored history (precog_classified); rejects knowledge-time clashes. */
async function classify(session: Session, source: string): Promise<void> {
  const trx = session.db;
  await sql`drop table if exists precog_classified`.execute(trx);
  // Features with no stored history skip the per-row lookups: a first bulk load is a plain insert.
  await sql`create temp table precog_classified on commit drop as
    with dedup as (
      select distinct on (feature_id, entity_key, ts, available_at) *
        from precog_resolved order by feature_id, entity_key, ts, available_at, line
    ), has_history as (
      select f.feature_id, exists (select 1 from features_historical h where h.feature_id = f.feature_id) as any_rows
        from (select distinct feature_id from dedup) f
    )
    select d.*,
           case when hh.any_rows then (
             select h.feature_value from features_historical h
              where h.feature_id = d.feature_id and h.entity_key = d.entity_key and h."timestamp" = d.ts
                and h.available_at <= d.available_at
              order by h.available_at desc, h.id desc limit 1) end as known_value,
           hh.any_rows and exists (
             select 1 from features_historical h
              where h.feature_id = d.feature_id and h.entity_key = d.entity_key and h."timestamp" = d.ts) as had_prior,
           hh.any_rows and exists (
             select 1 from features_historical h
              where h.feature_id = d.feature_id and h.entity_key = d.entity_key and h."timestamp" = d.ts
                and h.available_at = d.available_at and h.feature_value <> d.value) as clashes
      from dedup d join has_history hh using (feature_id)`.execute(trx);
  await sql`alter table precog_classified add column is_new boolean`.execute(trx);
  await sql`update precog_classified set is_new = known_value is distinct from value`.execute(trx);
  const clashes = await sql<ProblemRow & { total: number }>`
    select line, 'available_at' as "column", available_at::text as value,
           'a different value is already stored for this feature, entity, timestamp and available_at ' ||
           '(a correction needs a later available_at)' as reason, (count(*) over ())::int as total
      from precog_classified where clashes order by line limit ${MAX_REPORTED_PROBLEMS}`.execute(trx);
  if (clashes.rows.length > 0) {
    throw new InvalidInputError(
      source,
      clashes.rows.map((r) => ({ file: source, line: r.line, column: r.column, value: r.value, reason: r.reason })),
      clashes.rows[0]!.total,
    );
  }
}

/**
 * Runs the ingest of `source`; a failure that is not Precog's own (the disk is full, the
 * server went away, …) becomes one {@link IngestFailedError} naming the source — rolled
 * back, so nothing of it was written.
 */
async function namingTheSource<T>(source: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const translated = translateDatabaseError(error);
    if (translated instanceof PrecogError) throw translated;
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    const reason = code === '53100' ? `the disk is full (${message})` : message;
    throw new IngestFailedError(`${source}: ${reason}; nothing of it was written`, { source, sqlstate: code }, { cause: error });
  }
}

/** Ingests a CSV or NDJSON file in one transaction (all or nothing). */
export function ingestFile(db: PrecogDb, file: string, options: IngestOptions = {}): Promise<IngestReport> {
  return namingTheSource(file, () => db.transaction((session) => ingestRecords(session, file, readFileRecords(file), options)));
}

/** Ingests computed values in one transaction (all or nothing); `source` names them in errors. */
export function ingestValues(
  db: PrecogDb,
  source: string,
  values: Iterable<FeatureValueInput> | AsyncIterable<FeatureValueInput>,
  options: IngestOptions = {},
): Promise<IngestReport> {
  return namingTheSource(source, () => db.transaction((session) => ingestRecords(session, source, iterableRecords(source, values), options)));
}
