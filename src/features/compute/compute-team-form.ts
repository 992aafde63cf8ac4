import type { PrecogDb } from '../../db/connection.js';
import { ingestRecords, type IngestReport } from '../ingest.js';
import { iterableRecords } from '../ingest-sources.js';
import { registerFeature } from '../registry.js';
import { loadFinishedGames } from './finished-games.js';
import { computeTeamForm, teamFormDefinitions } from './team-form.js';

/**
 * Registers the team-form features and ingests their values computed from every finished
 * game of `sport`, in one transaction through the normal ingestion (idempotent: a rerun
 * over the same results changes nothing).
 */
export async function computeAndStoreTeamForm(db: PrecogDb, sport: string): Promise<{ features: string[]; report: IngestReport }> {
  const definitions = teamFormDefinitions(sport);
  const report = await db.transaction(async (session) => {
    for (const def of definitions) await registerFeature(session.db, def);
    const games = await loadFinishedGames(session.db, sport);
    return ingestRecords(session, 'computed team form', iterableRecords('computed team form', computeTeamForm(games)));
  });
  return { features: definitions.map((d) => `${d.name}@${d.version}`), report };
}
