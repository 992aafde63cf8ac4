import fs from 'node:fs';
import { sql } from 'kysely';
import type { PrecogDb } from '../db/connection.js';
import { resolveEntityKeys } from '../features/entity-keys.js';
import { openDataset, type DatasetColumns } from './arrow-dataset-reader.js';
import { planColumns } from './column-plan.js';
import { defineDataset } from './dataset-spec.js';
import { getDataset, type RegisteredDataset } from './dataset-registry.js';
import { renderDataset } from './dataset-render.js';

/** A stored row that explains a changed value: a correction or late value between the cutoffs. */
export interface ResponsibleRow {
  readonly timestamp: string;
  readonly available_at: string;
  readonly value: number;
  readonly external_source: string;
  readonly external_reference_id: string | null;
}

/** One changed cell. */
export interface ValueChange {
  readonly event_id: string;
  readonly label_time: string;
  readonly entity: string | null;
  readonly before: number | null;
  readonly after: number | null;
  readonly delta: number | null;
  readonly responsible: readonly ResponsibleRow[];
}

/** How one feature column changed between the builds. */
export interface ColumnDiff {
  readonly column: string;
  readonly changed: number;
  readonly largest: readonly ValueChange[];
}

/** `precog dataset diff`. */
export interface DatasetDiff {
  readonly a: { ref: string; knowledge_cutoff: string; sha256: string; rows: number };
  readonly b: { ref: string; knowledge_cutoff: string; sha256: string; rows: number };
  readonly identical: boolean;
  readonly rows_added: readonly string[];
  readonly rows_removed: readonly string[];
  readonly columns: readonly ColumnDiff[];
}

interface Side {
  readonly ref: string;
  readonly cutoff: Date;
  readonly sha256: string;
  readonly cols: DatasetColumns;
}

async function sideOf(dataset: RegisteredDataset): Promise<Side> {
  const file = await openDataset(dataset.metadata.file_path, { expectedSha256: dataset.metadata.sha256 });
  return {
    ref: `${dataset.dataset_name}@${dataset.dataset_version}`,
    cutoff: dataset.knowledge_cutoff,
    sha256: dataset.metadata.sha256,
    cols: await file.readColumns(),
  };
}

const same = (x: number | null, y: number | null) => (x === null ? y === null : y !== null && Object.is(x, y));

/**
 * Compares two registered datasets (`b` a ref), or one against a fresh build of its own
 * spec at a later knowledge cutoff (`b` a Date): rows added/removed by event, and per
 * feature column how many values changed, the `top` largest changes with their entity,
 * label time and the stored rows responsible — values of that feature and entity, dated
 * at or before the label, that became known between the two cutoffs (corrections and
 * late data, with external_source and external_reference_id).
 */
export async function diffDatasets(db: PrecogDb, refA: string, b: string | Date, top = 5): Promise<DatasetDiff> {
  const datasetA = await getDataset(db.db, refA);
  const a = await sideOf(datasetA);
  let sideB: Side;
  if (typeof b === 'string') {
    sideB = await sideOf(await getDataset(db.db, b));
  } else {
    const spec = defineDataset(datasetA.metadata.spec);
    const scratch = `${datasetA.metadata.file_path}.diff-${process.pid}`;
    const rendered = await db.transaction(async (session) =>
      renderDataset(session, spec, await planColumns(session.db, spec), b, scratch),
    );
    try {
      const file = await openDataset(rendered.path);
      sideB = { ref: `${refA} at ${b.toISOString()}`, cutoff: b, sha256: rendered.sha256, cols: await file.readColumns() };
    } finally {
      fs.rmSync(rendered.path, { force: true });
    }
  }
  const rowOf = (cols: DatasetColumns) => new Map(cols.eventId.map((e, i) => [e, i]));
  const rowsA = rowOf(a.cols);
  const rowsB = rowOf(sideB.cols);
  const added = sideB.cols.eventId.filter((e) => !rowsA.has(e));
  const removed = a.cols.eventId.filter((e) => !rowsB.has(e));
  const columnsMeta = new Map(
    (datasetA.metadata.spec ? await planColumns(db.db, defineDataset(datasetA.metadata.spec)) : []).map((c) => [c.name, c]),
  );
  const [lo, hi] = a.cutoff <= sideB.cutoff ? [a.cutoff, sideB.cutoff] : [sideB.cutoff, a.cutoff];
  const columns: ColumnDiff[] = [];
  for (const fa of a.cols.features) {
    const fb = sideB.cols.features.find((f) => f.name === fa.name);
    if (!fb) continue;
    const changes: Omit<ValueChange, 'responsible'>[] = [];
    for (const [event, ia] of rowsA) {
      const ib = rowsB.get(event);
      if (ib === undefined) continue;
      const before = fa.valid[ia] ? fa.values[ia]! : null;
      const after = fb.valid[ib] ? fb.values[ib]! : null;
      if (same(before, after)) continue;
      const plan = columnsMeta.get(fa.name);
      const entity =
        plan?.kind === 'retrieved'
          ? plan.source === 'home_team'
            ? a.cols.homeTeam[ia]!
            : plan.source === 'away_team'
              ? a.cols.awayTeam[ia]!
              : event
          : null;
      changes.push({
        event_id: event,
        label_time: new Date(a.cols.labelTime[ia]!).toISOString(),
        entity,
        before,
        after,
        delta: before !== null && after !== null ? after - before : null,
      });
    }
    changes.sort((x, y) => Math.abs(y.delta ?? Infinity) - Math.abs(x.delta ?? Infinity) || (x.event_id < y.event_id ? -1 : 1));
    const largest: ValueChange[] = [];
    for (const change of changes.slice(0, top)) {
      const plan = columnsMeta.get(fa.name);
      let responsible: ResponsibleRow[] = [];
      if (plan?.kind === 'retrieved' && change.entity !== null && plan.source !== 'market') {
        const keys = await resolveEntityKeys(db.db, plan.feature.entity_type as 'team' | 'event', plan.feature.sport, [change.entity]);
        const { rows } = await sql<ResponsibleRow>`
          select to_char("timestamp" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as timestamp,
                 to_char(available_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as available_at,
                 feature_value as value, external_source, external_reference_id
            from features_historical
           where feature_id = ${plan.feature.feature_id} and entity_key = ${keys.get(change.entity)!}
             and "timestamp" <= ${change.label_time}::timestamptz
             and available_at > ${lo} and available_at <= ${hi}
           order by available_at, id limit 10`.execute(db.db);
        responsible = rows;
      }
      largest.push({ ...change, responsible });
    }
    columns.push({ column: fa.name, changed: changes.length, largest });
  }
  return {
    a: { ref: a.ref, knowledge_cutoff: a.cutoff.toISOString(), sha256: a.sha256, rows: a.cols.rowCount },
    b: { ref: sideB.ref, knowledge_cutoff: sideB.cutoff.toISOString(), sha256: sideB.sha256, rows: sideB.cols.rowCount },
    identical: a.sha256 === sideB.sha256,
    rows_added: added,
    rows_removed: removed,
    columns,
  };
}
