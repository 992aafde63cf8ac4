import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { PrecogDb } from '../db/connection.js';
import { canonicalJson } from '../features/feature-definition.js';
import { planColumns } from './column-plan.js';
import { defineDataset, specJson, type DatasetSpec } from './dataset-spec.js';
import { findDataset, type DatasetMetadata, type RegisteredDataset } from './dataset-registry.js';
import { renderDataset, type RenderedDataset } from './dataset-render.js';
import { DatasetImmutableError, InvalidDatasetSpecError } from './errors.js';

/** Where dataset files go: `<home>/datasets/<name>/<name>@<version>.arrow`. */
export function datasetPath(home: string, spec: Pick<DatasetSpec, 'name' | 'version'>): string {
  return path.join(home, 'datasets', spec.name, `${spec.name}@${spec.version}.arrow`);
}

/** The outcome of a build. */
export interface BuildResult {
  readonly dataset: RegisteredDataset;
  /** false: the version was already registered with exactly this content (a no-op). */
  readonly created: boolean;
}

/** Renders a spec at a cutoff into a scratch file next to `finalPath`. */
async function renderScratch(db: PrecogDb, spec: DatasetSpec, cutoff: Date, finalPath: string): Promise<RenderedDataset> {
  fs.mkdirSync(path.dirname(finalPath), { recursive: true });
  const scratch = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${randomBytes(4).toString('hex')}`);
  // One transaction: every column reads the same snapshot of the store.
  return db.transaction(async (session) => renderDataset(session, spec, await planColumns(session.db, spec), cutoff, scratch));
}

/**
 * Pins a knowledge cutoff (migration 0005): waits for every ingest that is still recording
 * values, then returns `requested` — or, when null, the database's current instant — and
 * raises the floor under which nothing can be recorded any more (the database caps a
 * cutoff ahead of its clock to the clock).
 */
async function pinCutoff(db: PrecogDb, requested: Date | null): Promise<Date> {
  const { rows } = await sql<{ pinned: Date }>`select precog_pin_knowledge_cutoff(${requested}) as pinned`.execute(db.db);
  return rows[0]!.pinned;
}

/** A spec's cutoff ahead of the database clock would let later values change the registered file. */
async function refuseFutureCutoff(db: PrecogDb, requested: Date): Promise<void> {
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db.db);
  if (requested.getTime() > rows[0]!.now.getTime()) {
    throw new InvalidDatasetSpecError(
      `knowledge_cutoff ${requested.toISOString()} is in the future (the database clock reads ` +
        `${rows[0]!.now.toISOString()}): a dataset can only be pinned to what is already known; ` +
        `omit knowledge_cutoff to pin the build's own time`,
      { field: 'knowledge_cutoff', value: requested.toISOString() },
    );
  }
}

/**
 * Builds and registers a dataset version (DESIGN §5).
 *
 * The knowledge cutoff is the spec's (never in the future), else — for a version already
 * registered — the one it was registered with, else the build's start, pinned so that every
 * value recorded later falls after it: the file can be rebuilt byte-identical whatever is
 * ingested afterwards, backfills with a past available_at included. The file is written
 * to a scratch path first; a new version is registered and, in the same transaction, moved
 * into place (a crash in between leaves an unregistered file, never a registered row without
 * its file; of two builds racing for one new version only the one that registers publishes).
 * A registered version is immutable: the same spec and content again is a no-op, anything
 * else a {@link DatasetImmutableError}.
 */
export async function buildDataset(db: PrecogDb, specInput: unknown, home: string): Promise<BuildResult> {
  const spec = defineDataset(specInput);
  const ref = `${spec.name}@${spec.version}`;
  const existing = await findDataset(db.db, ref);
  if (existing && canonicalJson(existing.metadata.spec) !== specJson(spec)) {
    throw new DatasetImmutableError(`dataset ${ref} is already registered with a different spec; build a new version`, { ref });
  }
  const requested = spec.knowledge_cutoff ? new Date(spec.knowledge_cutoff) : null;
  if (requested && !existing) await refuseFutureCutoff(db, requested);
  const pinned = await pinCutoff(db, requested ?? existing?.knowledge_cutoff ?? null);
  // A registered version is rendered at its own cutoff (one registered before the record
  // clock may lie ahead of the pin, which the database caps).
  const cutoff = existing?.knowledge_cutoff ?? pinned;
  const finalPath = datasetPath(home, spec);
  const rendered = await renderScratch(db, spec, cutoff, finalPath);
  if (existing) {
    fs.rmSync(rendered.path, { force: true });
    if (rendered.sha256 !== existing.metadata.sha256) {
      throw new DatasetImmutableError(
        `dataset ${ref} is registered with sha256 ${existing.metadata.sha256} but building it now gives ${rendered.sha256}; ` +
          `a registered version is immutable: build a new version`,
        { ref, registered: existing.metadata.sha256, built: rendered.sha256 },
      );
    }
    return { dataset: existing, created: false };
  }
  const metadata: DatasetMetadata = {
    file_path: finalPath,
    sha256: rendered.sha256,
    bytes: rendered.bytes,
    spec,
    columns: rendered.audit.columns.map((c) => c.column),
    audit: rendered.audit,
  };
  const columns = await planColumns(db.db, spec);
  const featureIds = [...new Set(columns.flatMap((c) => (c.kind === 'retrieved' ? [c.feature.feature_id] : [])))];
  try {
    const row = await db.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('training_datasets')
        .values({
          dataset_name: spec.name,
          dataset_version: spec.version,
          sport: spec.sport,
          start_date: rendered.firstLabelTime?.toISOString().slice(0, 10) ?? null,
          end_date: rendered.lastLabelTime?.toISOString().slice(0, 10) ?? null,
          feature_ids: featureIds,
          target_variable: spec.labels.target,
          row_count: rendered.rowCount,
          start_event_id: rendered.firstEventId,
          end_event_id: rendered.lastEventId,
          knowledge_cutoff: cutoff,
          metadata: JSON.stringify(metadata),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // Published only once this build holds the registration, before it commits: a build
      // racing for the same new version waits on the unique key and never replaces the
      // winner's file; a crash here leaves a file without a row, never a row without its file.
      fs.renameSync(rendered.path, finalPath);
      return inserted;
    });
    return { dataset: { ...row, metadata }, created: true };
  } catch (error) {
    fs.rmSync(rendered.path, { force: true });
    if (!isDuplicateRegistration(error)) throw error;
    const winner = await findDataset(db.db, ref);
    if (winner && canonicalJson(winner.metadata.spec) === specJson(spec) && winner.metadata.sha256 === rendered.sha256) {
      return { dataset: winner, created: false };
    }
    throw new DatasetImmutableError(
      `dataset ${ref} already exists: another build registered it while this one ran` +
        `${winner ? ` (sha256 ${winner.metadata.sha256})` : ''}; nothing of this build was kept — build a new version`,
      { ref, registered: winner?.metadata.sha256, built: rendered.sha256 },
    );
  }
}

/** The unique (name, version) of training_datasets refused a second registration. */
function isDuplicateRegistration(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'training_datasets_name_version_key';
}

/**
 * Rebuilds a registered dataset from its stored spec and knowledge cutoff into a scratch
 * file and returns what it produced (the caller compares sha256s). With `install`, a
 * rebuild whose sha256 equals the registered one replaces the registered file (restoring
 * a lost or damaged one); the scratch file is removed otherwise.
 */
export async function rebuildRegistered(
  db: PrecogDb,
  dataset: RegisteredDataset,
  { install = false }: { install?: boolean } = {},
): Promise<RenderedDataset> {
  const spec = defineDataset(dataset.metadata.spec);
  const rendered = await renderScratch(db, spec, dataset.knowledge_cutoff, dataset.metadata.file_path);
  if (install && rendered.sha256 === dataset.metadata.sha256) fs.renameSync(rendered.path, dataset.metadata.file_path);
  else fs.rmSync(rendered.path, { force: true });
  return rendered;
}
