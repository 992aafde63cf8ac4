import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { FeatureNotFoundError } from '../features/errors.js';
import { getFeature, type RegisteredFeature } from '../features/registry.js';
import { parseTtl } from '../features/retrieval-spec.js';
import { ROLE_ENTITY_TYPE, type DatasetSpec, type FeatureRole } from './dataset-spec.js';
import { InvalidDatasetSpecError } from './errors.js';

/** Which entity of a label a column reads. */
export type ColumnSource = 'home_team' | 'away_team' | 'event' | 'market';

/** One retrieved feature column of the dataset. */
export interface RetrievedColumn {
  readonly kind: 'retrieved';
  readonly name: string;
  readonly feature: RegisteredFeature;
  readonly ref: string;
  readonly source: ColumnSource;
  readonly platform: string | null;
  readonly ttlMs: number | null;
}

/** A derived column: home − away of two retrieved columns. */
export interface DiffColumn {
  readonly kind: 'diff';
  readonly name: string;
  readonly home: number;
  readonly away: number;
}

export type PlannedColumn = RetrievedColumn | DiffColumn;

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Turns a spec's feature uses into file columns, checking each against its registered
 * definition: the feature must exist, and its entity type must fit the role (a team
 * feature for home/away/both, an event feature for `event`, a market feature for `market`).
 * Errors name the feature and the role. Column names must be unique.
 */
export async function planColumns(db: Executor, spec: DatasetSpec): Promise<PlannedColumn[]> {
  const columns: PlannedColumn[] = [];
  for (const [i, use] of spec.features.entries()) {
    let feature: RegisteredFeature;
    try {
      feature = await getFeature(db, use.feature);
    } catch (error) {
      if (error instanceof FeatureNotFoundError) {
        throw new InvalidDatasetSpecError(`features[${i}]: ${use.feature} is not a registered feature`, {
          feature: use.feature,
        });
      }
      throw error;
    }
    const wanted = ROLE_ENTITY_TYPE[use.role as FeatureRole];
    if (feature.entity_type !== wanted) {
      throw new InvalidDatasetSpecError(
        `features[${i}]: ${use.feature} describes ${feature.entity_type}s and cannot fill role ${use.role} (needs a ${wanted} feature)`,
        { feature: use.feature, role: use.role, entityType: feature.entity_type },
      );
    }
    const stem = use.as ?? feature.feature_name;
    const ttlSpec = use.ttl ?? spec.ttl;
    const base = { kind: 'retrieved' as const, feature, ref: use.feature, platform: use.platform ?? null, ttlMs: ttlSpec ? parseTtl(ttlSpec) : null };
    if (use.role === 'both_teams') {
      columns.push({ ...base, name: `home_${stem}`, source: 'home_team' });
      columns.push({ ...base, name: `away_${stem}`, source: 'away_team' });
      if (use.diff) columns.push({ kind: 'diff', name: `diff_${stem}`, home: columns.length - 2, away: columns.length - 1 });
    } else if (use.role === 'home_team' || use.role === 'away_team') {
      columns.push({ ...base, name: `${use.role === 'home_team' ? 'home' : 'away'}_${stem}`, source: use.role });
    } else {
      columns.push({ ...base, name: use.role === 'market' ? `market_${stem}` : stem, source: use.role });
    }
  }
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) {
      throw new InvalidDatasetSpecError(`column ${c.name} appears twice: give one of the features another "as" name`, {
        column: c.name,
      });
    }
    seen.add(c.name);
  }
  return columns;
}
