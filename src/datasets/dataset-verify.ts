import type { PrecogDb } from '../db/connection.js';
import { PrecogError } from '../errors.js';
import { openDataset } from './arrow-dataset-reader.js';
import { rebuildRegistered } from './dataset-builder.js';
import { getDataset } from './dataset-registry.js';
import type { DatasetAudit } from './leakage-audit.js';

/** The verdict of `precog dataset verify` / `rebuild`. */
export interface VerifyReport {
  readonly ref: string;
  readonly registered_sha256: string;
  /** The file on disk hashes to the registered sha256. */
  readonly file_ok: boolean;
  /** Rebuilding from the stored spec and knowledge cutoff gives the registered bytes. */
  readonly rebuild_matches: boolean;
  readonly rebuilt_sha256: string;
  /** The audit re-run against the database (no value after its label time). */
  readonly audit: DatasetAudit;
  readonly problems: readonly string[];
  readonly ok: boolean;
}

/**
 * Verifies a registered dataset: re-hashes its file against the registration, and
 * re-runs the build from the stored spec and knowledge cutoff against the database
 * (which re-runs the leakage audit; a leak aborts with a LeakageError) and compares the
 * bytes. `ok` only when both hold.
 */
export async function verifyDataset(db: PrecogDb, ref: string): Promise<VerifyReport> {
  const dataset = await getDataset(db.db, ref);
  const problems: string[] = [];
  let fileOk = true;
  try {
    await openDataset(dataset.metadata.file_path, { expectedSha256: dataset.metadata.sha256 });
  } catch (error) {
    if (!(error instanceof PrecogError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    fileOk = false;
    problems.push((error as Error).message);
  }
  const rebuilt = await rebuildRegistered(db, dataset);
  const matches = rebuilt.sha256 === dataset.metadata.sha256;
  if (!matches) {
    problems.push(
      `rebuilding ${ref} from its spec at knowledge cutoff ${dataset.knowledge_cutoff.toISOString()} gives sha256 ` +
        `${rebuilt.sha256}, not the registered ${dataset.metadata.sha256}`,
    );
  }
  return {
    ref,
    registered_sha256: dataset.metadata.sha256,
    file_ok: fileOk,
    rebuild_matches: matches,
    rebuilt_sha256: rebuilt.sha256,
    audit: rebuilt.audit,
    problems,
    ok: fileOk && matches,
  };
}
