import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { pointInTimeSql, type PointQuery, type PointValue } from '../features/point-in-time-sql.js';
import { createDatasetWriter } from './arrow-dataset-writer.js';
import type { PlannedColumn, RetrievedColumn } from './column-plan.js';
import { specJson, type DatasetSpec } from './dataset-spec.js';
import { LeakageError } from './errors.js';
import { marketsOfEvents, streamLabels, type Label } from './labels.js';
import { ColumnAuditor, type DatasetAudit } from './leakage-audit.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What rendering a spec into a file produced. */
export interface RenderedDataset {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly rowCount: number;
  readonly audit: DatasetAudit;
  readonly firstEventId: string | null;
  readonly lastEventId: string | null;
  readonly firstLabelTime: Date | null;
  readonly lastLabelTime: Date | null;
}

/** Schema metadata key of the spec and of the column → feature list. */
export const SPEC_METADATA_KEY = 'precog.spec';
export const COLUMNS_METADATA_KEY = 'precog.columns';

function columnsJson(columns: readonly PlannedColumn[]): string {
  return JSON.stringify(
    columns.map((c) =>
      c.kind === 'diff'
        ? { column: c.name, derived: 'diff', of: [columns[c.home]!.name, columns[c.away]!.name] }
        : { column: c.name, feature: c.ref, feature_id: c.feature.feature_id, entity: c.source, platform: c.platform, ttl_ms: c.ttlMs },
    ),
  );
}

function entityKey(label: Label, column: RetrievedColumn, markets: Map<string, string>): string | null {
  switch (column.source) {
    case 'home_team':
      return label.homeTeamId === null ? null : String(label.homeTeamId);
    case 'away_team':
      return label.awayTeamId === null ? null : String(label.awayTeamId);
    case 'event':
      return label.eventId;
    case 'market':
      return markets.get(label.eventId) ?? null;
  }
}

/**
 * Builds a dataset file from the store: labels in (label_time, event_id) order, page by
 * page; each retrieved column read point-in-time (the spec's mode, strictness and TTL,
 * plus `available_at <= cutoff`); diff columns derived; every value audited as it passes.
 * A value whose timestamp is after its label time — or, in known-at mode, whose
 * available_at is — or one known after the cutoff aborts the build with a LeakageError
 * (the retrieval rules make this impossible; the audit proves it per file). The file is
 * written atomically at `path`; its bytes depend only on the spec and the data.
 */
export async function renderDataset(
  db: Executor,
  spec: DatasetSpec,
  columns: readonly PlannedColumn[],
  cutoff: Date,
  path: string,
): Promise<RenderedDataset> {
  const writer = await createDatasetWriter(path, {
    featureColumns: columns.map((c) => c.name),
    metadata: new Map([
      [SPEC_METADATA_KEY, specJson(spec)],
      [COLUMNS_METADATA_KEY, columnsJson(columns)],
    ]),
  });
  const auditors = columns.map((c) => new ColumnAuditor(c.name));
  let first: Label | null = null;
  let last: Label | null = null;
  try {
    for await (const labels of streamLabels(db, spec)) {
      first ??= labels[0] ?? null;
      last = labels[labels.length - 1] ?? last;
      const values = await retrievePage(db, spec, columns, cutoff, labels);
      const features = columns.map((c, ci) => {
        const out = new Float64Array(labels.length);
        for (let i = 0; i < labels.length; i++) {
          let v: PointValue | null;
          if (c.kind === 'diff') {
            const h = values[c.home]![i];
            const a = values[c.away]![i];
            v = h && a ? { value: h.value - a.value, timestamp: maxDate(h.timestamp, a.timestamp), availableAt: maxDate(h.availableAt, a.availableAt) } : null;
          } else {
            v = values[ci]![i] ?? null;
          }
          out[i] = v ? v.value : Number.NaN;
          auditors[ci]!.add(labels[i]!.labelTime.getTime(), v && { timestamp: v.timestamp.getTime(), availableAt: v.availableAt.getTime() });
        }
        checkLeakage(auditors[ci]!, spec, cutoff);
        return out;
      });
      await writer.writeBatch({
        eventId: labels.map((l) => l.eventId),
        labelTime: labels.map((l) => l.labelTime.getTime()),
        season: labels.map((l) => l.season),
        homeTeam: labels.map((l) => l.homeTeam),
        awayTeam: labels.map((l) => l.awayTeam),
        target: labels.map((l) => l.target),
        features,
      });
    }
    const written = await writer.finish();
    return {
      path: written.path,
      sha256: written.sha256,
      bytes: written.bytes,
      rowCount: written.rowCount,
      audit: { rows: written.rowCount, columns: auditors.map((a) => a.result()) },
      firstEventId: first?.eventId ?? null,
      lastEventId: last?.eventId ?? null,
      firstLabelTime: first?.labelTime ?? null,
      lastLabelTime: last?.labelTime ?? null,
    };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

const maxDate = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

function checkLeakage(auditor: ColumnAuditor, spec: DatasetSpec, cutoff: Date): void {
  const lead = auditor.maxLeadMs;
  if (lead !== null && (lead > 0 || (spec.strict && lead >= 0))) {
    throw new LeakageError(`column ${auditor.column}: a value is ${lead} ms after its label time; build aborted`, {
      column: auditor.column,
      leadMs: lead,
    });
  }
  const known = auditor.maxKnowledgeLeadMs;
  if (spec.mode === 'known' && known !== null && known > 0) {
    throw new LeakageError(`column ${auditor.column}: a value became known ${known} ms after its label time; build aborted`, {
      column: auditor.column,
      knowledgeLeadMs: known,
    });
  }
  const maxAvailable = auditor.result().max_available_at;
  if (maxAvailable && new Date(maxAvailable).getTime() > cutoff.getTime()) {
    throw new LeakageError(`column ${auditor.column}: a value known at ${maxAvailable} is after the knowledge cutoff`, {
      column: auditor.column,
    });
  }
}

async function retrievePage(
  db: Executor,
  spec: DatasetSpec,
  columns: readonly PlannedColumn[],
  cutoff: Date,
  labels: readonly Label[],
): Promise<(PointValue | null)[][]> {
  const marketsByPlatform = new Map<string, Map<string, string>>();
  for (const c of columns) {
    if (c.kind === 'retrieved' && c.source === 'market' && c.platform && !marketsByPlatform.has(c.platform)) {
      marketsByPlatform.set(c.platform, await marketsOfEvents(db, c.platform, labels.map((l) => l.eventId)));
    }
  }
  const out: (PointValue | null)[][] = [];
  for (const c of columns) {
    if (c.kind === 'diff') {
      out.push([]);
      continue;
    }
    const markets = marketsByPlatform.get(c.platform ?? '') ?? new Map<string, string>();
    const queries: PointQuery[] = [];
    const index: number[] = [];
    labels.forEach((label, i) => {
      const key = entityKey(label, c, markets);
      if (key !== null) {
        queries.push({ key, time: label.labelTime });
        index.push(i);
      }
    });
    const found = await pointInTimeSql(db, c.feature.feature_id, queries, {
      mode: spec.mode,
      strict: spec.strict,
      ttlMs: c.ttlMs,
      knowledgeCutoff: cutoff,
    });
    const values: (PointValue | null)[] = new Array(labels.length).fill(null);
    index.forEach((labelIndex, q) => (values[labelIndex] = found[q] ?? null));
    out.push(values);
  }
  return out;
}
