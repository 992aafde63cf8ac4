import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { loadNflTeams, type NflFranchise, type NflTeamRegistry } from './nfl-teams.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The `teams` columns a franchise row owns. */
interface TeamContent {
  readonly name: string;
  readonly conference: string | null;
  readonly division: string | null;
  readonly active: boolean;
  readonly aliases: readonly string[];
}

function contentOf(franchise: NflFranchise): TeamContent {
  return {
    name: franchise.name,
    conference: franchise.conference,
    division: franchise.division,
    active: franchise.active,
    aliases: franchise.aliases,
  };
}

function sameContent(a: TeamContent, b: TeamContent): boolean {
  return (
    a.name === b.name &&
    a.conference === b.conference &&
    a.division === b.division &&
    a.active === b.active &&
    a.aliases.length === b.aliases.length &&
    a.aliases.every((alias, i) => alias === b.aliases[i])
  );
}

/**
 * Upserts every franchise of the NFL table (default: the packaged `data/nfl-teams.csv`) as a
 * `teams` row of sport `nfl`: code, name, conference, division, active and every alias.
 * Idempotent: a row is written only when it is missing or one of those columns differs
 * (rows of codes the table does not know are left alone). Returns franchise code → team_id.
 */
export async function syncNflTeams(db: Executor, registry: NflTeamRegistry = loadNflTeams()): Promise<Map<string, number>> {
  const stored = await db
    .selectFrom('teams')
    .select(['team_id', 'code', 'name', 'conference', 'division', 'active', 'aliases'])
    .where('sport', '=', 'nfl')
    .execute();
  const byCode = new Map(stored.map((row) => [row.code, row]));
  const missing: NflFranchise[] = [];
  for (const franchise of registry.franchises) {
    const row = byCode.get(franchise.code);
    const wanted = contentOf(franchise);
    if (row === undefined) missing.push(franchise);
    else if (!sameContent(row, wanted)) {
      await db
        .updateTable('teams')
        .set({ ...wanted, aliases: [...wanted.aliases] })
        .where('team_id', '=', row.team_id)
        .execute();
    }
  }
  if (missing.length > 0) {
    await db
      .insertInto('teams')
      .values(missing.map((f) => ({ sport: 'nfl' as const, code: f.code, ...contentOf(f), aliases: [...f.aliases] })))
      // A concurrent import may have inserted the same franchise; its row is as good as ours.
      .onConflict((oc) => oc.columns(['sport', 'code']).doNothing())
      .execute();
  }
  return loadNflTeamIds(db);
}

/** Every NFL team's code → team_id, as stored. */
export async function loadNflTeamIds(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('teams').select(['team_id', 'code']).where('sport', '=', 'nfl').execute();
  return new Map(rows.map((r) => [r.code, r.team_id]));
}
