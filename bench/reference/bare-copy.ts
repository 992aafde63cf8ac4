import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { sql } from 'kysely';
import { runScript } from '../../src/db/migrator.js';
import type { BenchTarget } from '../target.js';

/** The reference table: the ingest file's columns with features_historical's indexes, nothing else. */
export const BARE_TABLE = 'bench_ref_features';

const BARE_DDL = `
  DROP TABLE IF EXISTS ${BARE_TABLE};
  CREATE TABLE ${BARE_TABLE} (
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    feature      TEXT NOT NULL,
    entity       TEXT NOT NULL,
    "timestamp"  TIMESTAMPTZ NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    available_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id, "timestamp"),
    UNIQUE (feature, entity, "timestamp", available_at)
  );
  CREATE INDEX ${BARE_TABLE}_available_at_idx ON ${BARE_TABLE} (available_at);`;

const COPY_COLUMNS = `${BARE_TABLE} (feature, entity, "timestamp", value, available_at)`;

/** Creates (or recreates) the empty reference table. */
export async function createBareTable(target: BenchTarget): Promise<void> {
  await runScript(target.db.db, BARE_DDL);
}

function runPsql(url: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${stderr.trim()}`))));
  });
}

/**
 * Loads an ingest CSV into the reference table the fastest plain way the engine offers:
 * `psql \copy` on a server, `COPY … FROM '/dev/blob'` on PGlite (reading the file is part
 * of the work, as it is for psql). Returns the rows loaded.
 */
export async function copyIntoBareTable(target: BenchTarget, csvFile: string): Promise<number> {
  if (target.engine === 'postgres') {
    if (!target.url) throw new Error('the psql reference needs the server URL');
    const quoted = csvFile.replace(/'/g, "''");
    await runPsql(target.url, `\\copy ${COPY_COLUMNS} FROM '${quoted}' WITH (FORMAT csv, HEADER true)`);
  } else {
    const pglite = target.db.pglite;
    if (!pglite) throw new Error('PGlite engine without its instance');
    const blob = new Blob([fs.readFileSync(csvFile)]);
    await pglite.query(`COPY ${COPY_COLUMNS} FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob });
  }
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(BARE_TABLE)}`.execute(target.db.db);
  return rows[0]!.n;
}

/**
 * Rows that differ between features_historical (named back to feature ref and team code)
 * and the reference table, counted both ways with multiplicity: 0 when both hold the same
 * values.
 */
export async function differencesFromBareTable(target: BenchTarget): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with stored as (
      select d.feature_name || '@' || d.feature_version as feature, t.code as entity, h."timestamp",
             h.feature_value as value, h.available_at
        from features_historical h
        join feature_definitions d on d.feature_id = h.feature_id
        join teams t on t.team_id = h.team_id
    ), bare as (
      select feature, entity, "timestamp", value, available_at from ${sql.table(BARE_TABLE)}
    )
    select ((select count(*) from (select * from stored except all select * from bare) a) +
            (select count(*) from (select * from bare except all select * from stored) b))::int as n`.execute(target.db.db);
  return rows[0]!.n;
}
