import type { Session } from '../db/session.js';
import { RetrievalError } from './errors.js';

/** PostgreSQL's binary COPY signature: "PGCOPY\n\377\r\n\0". */
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
const decoder = new TextDecoder();
/** 2000-01-01T00:00:00Z in Unix microseconds: PostgreSQL's timestamp epoch. */
const PG_EPOCH_US = 946_684_800_000_000;

/**
 * Streams one feature's history out of the database as (entity_key, timestamp µs,
 * available_at µs, value) with binary COPY (timestamps sent raw: converting them in SQL
 * costs half the scan) — a plain sequential scan, no ORDER BY; the
 * merge does not need order. Rows recorded or available after `cutoff` are filtered by
 * the scan.
 * COPY takes no bind parameters: the statement is built only from an integer id and an
 * instant formatted by Date, never from user text.
 */
export async function scanFeatureHistory(
  session: Session,
  featureId: number,
  cutoff: Date | null,
  onRow: (key: string, tsUs: number, availUs: number, value: number) => void,
): Promise<number> {
  if (!Number.isSafeInteger(featureId)) throw new RetrievalError(`bad feature id ${featureId}`, { featureId });
  const at = cutoff ? `'${cutoff.toISOString()}'::timestamptz` : '';
  const cutoffSql = cutoff ? ` AND recorded_at <= ${at} AND available_at <= ${at}` : '';
  const copySql =
    `COPY (SELECT entity_key, "timestamp", available_at, feature_value FROM features_historical ` +
    `WHERE feature_id = ${featureId}${cutoffSql}) TO STDOUT (FORMAT binary)`;
  let pending: Uint8Array = new Uint8Array(0);
  let headerDone = false;
  let rows = 0;
  for await (const chunk of session.copyTo(copySql)) {
    const buf = pending.length ? concat(pending, chunk) : chunk;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let pos = 0;
    if (!headerDone) {
      if (buf.length < 19) {
        pending = buf;
        continue;
      }
      for (let i = 0; i < SIGNATURE.length; i++) {
        if (buf[i] !== SIGNATURE[i]) throw new RetrievalError('unexpected binary COPY header', { featureId });
      }
      pos = 19 + view.getInt32(15);
      headerDone = true;
    }
    for (;;) {
      if (pos + 2 > buf.length) break;
      const fields = view.getInt16(pos);
      if (fields === -1) {
        pos = buf.length;
        break;
      }
      // A tuple: 4 fields, each a 4-byte length then the bytes.
      let p = pos + 2;
      if (p + 4 > buf.length) break;
      const keyLen = view.getInt32(p);
      if (p + 4 + keyLen + 12 + 12 + 12 > buf.length) break;
      const key = decoder.decode(buf.subarray(p + 4, p + 4 + keyLen));
      p += 4 + keyLen + 4;
      // Binary timestamptz is int8 microseconds since 2000-01-01 UTC.
      const tsUs = Number(view.getBigInt64(p)) + PG_EPOCH_US;
      p += 8 + 4;
      const availUs = Number(view.getBigInt64(p)) + PG_EPOCH_US;
      p += 8 + 4;
      const value = view.getFloat64(p);
      p += 8;
      onRow(key, tsUs, availUs, value);
      rows += 1;
      pos = p;
      void fields;
    }
    pending = buf.subarray(pos);
  }
  return rows;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
