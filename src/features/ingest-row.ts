import type { InputProblem } from '../errors.js';
import { FEATURE_NAME_PATTERN, FEATURE_VERSION_PATTERN } from './feature-ref.js';

/** The columns an ingest file may have; the first four are required. */
export const INGEST_COLUMNS = [
  'feature',
  'entity',
  'timestamp',
  'value',
  'available_at',
  'external_source',
  'external_reference_id',
  'metadata',
] as const;
export type IngestColumn = (typeof INGEST_COLUMNS)[number];
export const REQUIRED_INGEST_COLUMNS: readonly IngestColumn[] = ['feature', 'entity', 'timestamp', 'value'];

/** One input record before validation: text fields keyed by column, with its location. */
export interface RawIngestRecord {
  readonly line: number;
  readonly fields: Readonly<Partial<Record<IngestColumn, string>>>;
}

/** One validated row, normalized for the staging COPY. */
export interface IngestRow {
  readonly line: number;
  readonly featureName: string;
  readonly featureVersion: string;
  readonly entity: string;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
  readonly availableAt: string | null;
  readonly value: number;
  readonly externalSource: string;
  readonly externalReferenceId: string | null;
  /** JSON object text, or null. */
  readonly metadata: string | null;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// A zone only after a time: `2021-01-01-05` is not a date at offset −05.
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/**
 * The most a value's metadata may hold (its JSON text, in UTF-8 bytes): provenance, not
 * payloads. Without a cap a 100 MB field was stored and a 270 MB one failed in PostgreSQL
 * with no file or line.
 */
export const MAX_METADATA_BYTES = 64 * 1024;
/** Years outside this range are almost certainly typos, and some fall outside timestamptz. */
export const MIN_YEAR = 1800;
export const MAX_YEAR = 9999;

/** Instants already seen in this process: sports data repeats the same few timestamps. */
const instantCache = new Map<string, ReturnType<typeof parseInstantUncached>>();

/**
 * Parses an instant: ISO-8601 date or date-time; a missing zone means UTC; a date alone
 * means midnight UTC. Returns the ISO string or a reason it is not one.
 */
export function parseInstant(text: string): { ok: true; iso: string } | { ok: false; reason: string } {
  let parsed = instantCache.get(text);
  if (!parsed) {
    parsed = parseInstantUncached(text);
    if (instantCache.size > 100_000) instantCache.clear();
    instantCache.set(text, parsed);
  }
  return parsed;
}

function parseInstantUncached(text: string): { ok: true; iso: string } | { ok: false; reason: string } {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return { ok: false, reason: 'not an ISO-8601 date or date-time' };
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, reason: `year outside ${MIN_YEAR}–${MAX_YEAR}` };
  const zone = m[8] ? (m[8].toUpperCase() === 'Z' ? 'Z' : normalizeOffset(m[8])) : 'Z';
  const [hh, mi, ss] = [m[4] ?? '00', m[5] ?? '00', m[6] ?? '00'];
  // The written fields, whatever the zone: Date.parse would roll 02-30 into March and read
  // 24:00 as the next day.
  const calendar = calendarProblem(year, Number(m[2]), Number(m[3]), Number(hh), Number(mi), Number(ss));
  if (calendar) return { ok: false, reason: calendar };
  // Instants are kept to the millisecond (JavaScript Date, Arrow timestamp[ms]): finer digits
  // would be silently dropped, and two distinct inputs would collide as one.
  if (m[7] && /[1-9]/.test(m[7].slice(3))) {
    return { ok: false, reason: 'finer than a millisecond (instants are kept to the millisecond): round it' };
  }
  const frac = m[7] ? `.${m[7].slice(0, 3).padEnd(3, '0')}` : '';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${hh}:${mi}:${ss}${frac}${zone}`);
  if (Number.isNaN(ms)) return { ok: false, reason: 'not a valid calendar date/time' };
  const d = new Date(ms);
  // An offset can carry a written year across the bounds (9999-12-31T23:00-05:00 is year 10000 in UTC).
  if (d.getUTCFullYear() < MIN_YEAR || d.getUTCFullYear() > MAX_YEAR) {
    return { ok: false, reason: `year outside ${MIN_YEAR}–${MAX_YEAR}` };
  }
  return { ok: true, iso: d.toISOString() };
}

/** Why written date/time fields are not a calendar instant, or undefined when they are. */
function calendarProblem(year: number, month: number, day: number, hour: number, minute: number, second: number): string | undefined {
  if (month < 1 || month > 12) return 'not a valid calendar date (month)';
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > days) return 'not a valid calendar date (day of month)';
  if (hour > 23 || minute > 59 || second > 59) return 'not a valid time of day';
  return undefined;
}

function normalizeOffset(offset: string): string {
  const digits = offset.slice(1).replace(':', '');
  return `${offset[0]}${digits.slice(0, 2)}:${(digits.slice(2) || '00').padEnd(2, '0')}`;
}

/** Parses a finite decimal number; NaN, Infinity, overflow (1e309) and underflow (1e-400) are rejected. */
export function parseFiniteNumber(text: string): { ok: true; value: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (!NUMBER.test(t)) return { ok: false, reason: 'not a number' };
  const value = Number(t);
  if (!Number.isFinite(value)) return { ok: false, reason: 'not a finite number (overflows float64)' };
  // A non-zero mantissa read as 0 is lost, not stored: refuse it like an overflow.
  if (value === 0 && /[1-9]/.test(t.split(/[eE]/)[0]!)) return { ok: false, reason: 'too close to zero (underflows float64)' };
  return { ok: true, value: Object.is(value, -0) ? 0 : value };
}

// NUL, U+FFFD (invalid UTF-8, as decoded) and lone UTF-16 surrogates (from JSON escapes such as
// "\ud800"): PostgreSQL text and jsonb cannot hold them.
const BAD_CHARACTER = /[\u0000\uFFFD]|\p{Cs}/u;
const LONE_SURROGATE = /\p{Cs}/u;
const refCache = new Map<string, readonly [string, string] | null>();

/** Splits and checks `name@version`, remembering the few distinct refs of an input. */
function parseRefCached(text: string): readonly [string, string] | null {
  let ref = refCache.get(text);
  if (ref === undefined) {
    const at = text.lastIndexOf('@');
    const name = at < 0 ? '' : text.slice(0, at);
    const version = at < 0 ? '' : text.slice(at + 1);
    ref = FEATURE_NAME_PATTERN.test(name) && FEATURE_VERSION_PATTERN.test(version) ? [name, version] : null;
    if (refCache.size > 10_000) refCache.clear();
    refCache.set(text, ref);
  }
  return ref;
}

/**
 * Validates one record, returning the normalized row or every problem found in it.
 * Rules: required fields present and non-empty; `feature` is name@version; times are
 * ISO-8601 within {@link MIN_YEAR}–{@link MAX_YEAR}; `value` is a finite number;
 * `metadata`, when given, is a JSON object of at most {@link MAX_METADATA_BYTES}; text fields fit their columns and hold no
 * NUL or invalid UTF-8 (U+FFFD from decoding).
 */
export function validateIngestRecord(
  file: string,
  record: RawIngestRecord,
  defaultSource: string,
): { row: IngestRow; problems: [] } | { row: null; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const { line, fields } = record;
  const problem = (column: IngestColumn, value: string, reason: string) =>
    problems.push({ file, line, column, value, reason });

  for (const column in fields) {
    const value = fields[column as IngestColumn];
    if (value !== undefined && BAD_CHARACTER.test(value)) {
      problem(column as IngestColumn, value, 'contains a NUL byte or invalid UTF-8');
    }
  }
  for (const column of REQUIRED_INGEST_COLUMNS) {
    if (!fields[column]?.trim()) problem(column, fields[column] ?? '', 'required value is missing');
  }
  const text = (c: IngestColumn) => fields[c]?.trim() ?? '';

  let featureName = '';
  let featureVersion = '';
  const feature = text('feature');
  if (feature) {
    const ref = parseRefCached(feature);
    if (ref) [featureName, featureVersion] = ref;
    else problem('feature', feature, 'not a feature reference name@version');
  }
  const entity = text('entity');
  if (entity.length > 100) problem('entity', entity, 'longer than 100 characters');

  let timestamp = '';
  if (text('timestamp')) {
    const t = parseInstant(text('timestamp'));
    if (t.ok) timestamp = t.iso;
    else problem('timestamp', text('timestamp'), t.reason);
  }
  let availableAt: string | null = null;
  if (text('available_at')) {
    const t = parseInstant(text('available_at'));
    if (t.ok) availableAt = t.iso;
    else problem('available_at', text('available_at'), t.reason);
  }
  let value = 0;
  if (text('value')) {
    const v = parseFiniteNumber(text('value'));
    if (v.ok) value = v.value;
    else problem('value', text('value'), v.reason);
  }
  const externalSource = text('external_source') || defaultSource;
  if (externalSource.length > 50) problem('external_source', externalSource, 'longer than 50 characters');
  const externalReferenceId = text('external_reference_id') || null;
  if (externalReferenceId && externalReferenceId.length > 200) {
    problem('external_reference_id', externalReferenceId, 'longer than 200 characters');
  }
  let metadata: string | null = null;
  const metadataBytes = text('metadata') ? Buffer.byteLength(text('metadata')) : 0;
  if (metadataBytes > MAX_METADATA_BYTES) {
    problem(
      'metadata',
      text('metadata').slice(0, 100),
      `${metadataBytes} bytes, more than the ${MAX_METADATA_BYTES / 1024} KiB a value's metadata may hold ` +
        `(keep large payloads elsewhere and point to them with external_reference_id)`,
    );
  } else if (text('metadata')) {
    try {
      let lone = false;
      const parsed: unknown = JSON.parse(text('metadata'), (key, value: unknown) => {
        if (LONE_SURROGATE.test(key) || (typeof value === 'string' && LONE_SURROGATE.test(value))) lone = true;
        return value;
      });
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      metadata = JSON.stringify(parsed);
      // jsonb cannot store the NUL character or a lone surrogate, even escaped.
      if (metadata.includes('\\u0000') || lone) throw new Error('NUL or lone surrogate');
    } catch {
      problem('metadata', text('metadata'), 'not a JSON object');
    }
  }
  if (problems.length > 0) return { row: null, problems };
  return {
    row: {
      line,
      featureName,
      featureVersion,
      entity,
      timestamp,
      availableAt,
      value,
      externalSource,
      externalReferenceId,
      metadata,
    },
    problems: [],
  };
}
