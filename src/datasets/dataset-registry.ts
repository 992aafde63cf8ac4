import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { TrainingDatasetRow } from '../db/tables/training-datasets.table.js';
import { openDataset, type DatasetFile } from './arrow-dataset-reader.js';
import { DatasetNotFoundError, InvalidDatasetSpecError } from './errors.js';
import type { DatasetAudit } from './leakage-audit.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What `training_datasets.metadata` holds for every registered dataset. */
export interface DatasetMetadata {
  readonly file_path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly spec: unknown;
  readonly columns: readonly string[];
  readonly audit: DatasetAudit;
}

/** A registered dataset with its metadata parsed. */
export type RegisteredDataset = Omit<TrainingDatasetRow, 'metadata'> & { readonly metadata: DatasetMetadata };

const DatasetRefSchema = z.string().regex(/^([a-z][a-z0-9_]*)@([A-Za-z0-9][A-Za-z0-9._-]*)$/);

/** Parses `name@version`, naming the text when it is not one. */
export function parseDatasetRef(ref: string): { name: string; version: string } {
  if (!DatasetRefSchema.safeParse(ref).success) {
    throw new InvalidDatasetSpecError(`"${ref}" is not a dataset reference of the form name@version`, { ref });
  }
  const at = ref.lastIndexOf('@');
  return { name: ref.slice(0, at), version: ref.slice(at + 1) };
}

function parseRow(row: TrainingDatasetRow): RegisteredDataset {
  return { ...row, metadata: row.metadata as DatasetMetadata };
}

/** The registered dataset `name@version`, or undefined. */
export async function findDataset(db: Executor, ref: string): Promise<RegisteredDataset | undefined> {
  const { name, version } = parseDatasetRef(ref);
  const row = await db
    .selectFrom('training_datasets')
    .selectAll()
    .where('dataset_name', '=', name)
    .where('dataset_version', '=', version)
    .executeTakeFirst();
  return row ? parseRow(row) : undefined;
}

/** The registered dataset `name@version`; DatasetNotFoundError when there is none. */
export async function getDataset(db: Executor, ref: string): Promise<RegisteredDataset> {
  const found = await findDataset(db, ref);
  if (!found) throw new DatasetNotFoundError(`dataset ${ref} is not registered`, { ref });
  return found;
}

/** Every registered dataset, newest first. */
export async function listDatasets(db: Executor): Promise<RegisteredDataset[]> {
  const rows = await db.selectFrom('training_datasets').selectAll().orderBy('dataset_id', 'desc').execute();
  return rows.map(parseRow);
}

/** Opens a registered dataset's file, verifying its sha256 against the registration. */
export async function openRegisteredDataset(db: Executor, ref: string): Promise<{ dataset: RegisteredDataset; file: DatasetFile }> {
  const dataset = await getDataset(db, ref);
  const file = await openDataset(dataset.metadata.file_path, { expectedSha256: dataset.metadata.sha256 });
  return { dataset, file };
}
