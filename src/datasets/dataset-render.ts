import type { Session } from '../db/session.js';
import type { MergedColumn } from '../features/point-in-time-merge.js';
import { retrieveColumns } from '../features/point-in-time-column.js';
import { createDatasetWriter } from './arrow-dataset-writer.js';
import type { PlannedColumn, RetrievedColumn } from './column-plan.js';
import { specJson, type DatasetSpec } from './dataset-spec.js';
import { LeakageError } from './errors.js';
import { marketsOfEvents, streamLabels, type Label } from './labels.js';
import { ColumnAuditor, type DatasetAudit } from './leakage-audit.js';

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

// Team ids as entity keys, one string per team rather than one per label.
const teamKeys = new Map<number, string>();
const teamKey = (id: number | null): string | null => {
  if (id === null) return null;
  let key = teamKeys.get(id);
  if (key === undefined) teamKeys.set(id, (key = String(id)));
  return key;
};

function entityKey(label: Label, column: RetrievedColumn, markets: Map<string, string>): string | null {
  switch (column.source) {
    case 'home_team':
      return teamKey(label.homeTeamId);
    case 'away_team':
      return teamKey(label.awayTeamId);
    case 'event':
      return label.eventId;
    case 'market':
      return markets.get(label.eventId) ?? null;
  }
}

/**
 * Builds a dataset file from the store, inside one transaction (one consistent snapshot):
 * labels in (label_time, event_id) order; each retrieved column read point-in-time for all
 * labels at once (the spec's mode, strictness and TTL, plus `available_at <= cutoff`) by
 * `retrieveColumn`, which streams large label sets through the merge path; diff columns
 * derived; every value audited. A value whose timestamp is after its label time — or, in
 * known-at mode, whose available_at is — or one known after the cutoff aborts the build
 * with a LeakageError (the retrieval rules make this impossible; the audit proves it per
 * file). Memory: the labels plus, while auditing, three float64 per label and column. The file is written
 * atomically at `path`; its bytes depend only on the spec and the data.
 */
export async function renderDataset(
  session: Session,
  spec: DatasetSpec,
  columns: readonly PlannedColumn[],
  cutoff: Date,
  path: string,
): Promise<RenderedDataset> {
  const labels: Label[] = [];
  for await (const page of streamLabels(session.db, spec)) for (const l of page) labels.push(l);
  const n = labels.length;
  const auditors = columns.map((c) => new ColumnAuditor(c.name));
  // Retrieve every column of one feature together (a both_teams feature is one scan, not
  // two), audit it at once and keep only the values: the times live one feature at a time.
  const features: Float64Array[] = new Array<Float64Array>(columns.length);
  const byFeature = new Map<number, number[]>();
  columns.forEach((c, ci) => {
    if (c.kind !== 'retrieved') return;
    const list = byFeature.get(c.feature.feature_id);
    if (list) list.push(ci);
    else byFeature.set(c.feature.feature_id, [ci]);
  });
  const audit = (ci: number, column: MergedColumn) => {
    for (let i = 0; i < n; i++) {
      const v = column.value[i]!;
      auditors[ci]!.add(
        labels[i]!.labelTime.getTime(),
        Number.isNaN(v) ? null : { timestamp: column.tsUs[i]! / 1000, availableAt: column.availUs[i]! / 1000 },
      );
    }
    checkLeakage(auditors[ci]!, spec, cutoff);
    features[ci] = column.value;
  };
  const labelTimes = labels.map((l) => l.labelTime);
  for (const [featureId, indexes] of byFeature) {
    const requests = [];
    for (const ci of indexes) {
      const c = columns[ci] as RetrievedColumn;
      const markets =
        c.source === 'market' && c.platform
          ? await marketsOfEvents(session.db, c.platform, labels.map((l) => l.eventId))
          : new Map<string, string>();
      requests.push({
        keys: labels.map((l) => entityKey(l, c, markets)),
        times: labelTimes,
        options: { mode: spec.mode, strict: spec.strict, ttlMs: c.ttlMs, knowledgeCutoff: cutoff },
      });
    }
    const results = await retrieveColumns(session, featureId, requests);
    const fetched = new Map(indexes.map((ci, k) => [ci, results[k]!]));
    for (const [ci, column] of fetched) audit(ci, column);
    // A diff column pairs two columns of the same feature: derive it while their times exist.
    columns.forEach((c, ci) => {
      if (c.kind !== 'diff' || !fetched.has(c.home) || !fetched.has(c.away)) return;
      const h = fetched.get(c.home)!;
      const a = fetched.get(c.away)!;
      const column = { value: new Float64Array(n), tsUs: new Float64Array(n), availUs: new Float64Array(n) };
      for (let i = 0; i < n; i++) {
        column.value[i] = h.value[i]! - a.value[i]!;
        column.tsUs[i] = Math.max(h.tsUs[i]!, a.tsUs[i]!);
        column.availUs[i] = Math.max(h.availUs[i]!, a.availUs[i]!);
      }
      audit(ci, column);
    });
  }
  const writer = await createDatasetWriter(path, {
    featureColumns: columns.map((c) => c.name),
    metadata: new Map([
      [SPEC_METADATA_KEY, specJson(spec)],
      [COLUMNS_METADATA_KEY, columnsJson(columns)],
    ]),
  });
  try {
    for (let start = 0; start < n; start += WRITE_BATCH) {
      const end = Math.min(n, start + WRITE_BATCH);
      const slice = labels.slice(start, end);
      await writer.writeBatch({
        eventId: slice.map((l) => l.eventId),
        labelTime: slice.map((l) => l.labelTime.getTime()),
        season: slice.map((l) => l.season),
        homeTeam: slice.map((l) => l.homeTeam),
        awayTeam: slice.map((l) => l.awayTeam),
        target: slice.map((l) => l.target),
        features: features.map((f) => f.subarray(start, end)),
      });
    }
    const written = await writer.finish();
    return {
      path: written.path,
      sha256: written.sha256,
      bytes: written.bytes,
      rowCount: written.rowCount,
      audit: { rows: written.rowCount, columns: auditors.map((a) => a.result()) },
      firstEventId: labels[0]?.eventId ?? null,
      lastEventId: labels[n - 1]?.eventId ?? null,
      firstLabelTime: labels[0]?.labelTime ?? null,
      lastLabelTime: labels[n - 1]?.labelTime ?? null,
    };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** Rows handed to the writer per call (the file's batching is the writer's own). */
const WRITE_BATCH = 65_536;

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
