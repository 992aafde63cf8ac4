import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/child-process.js';
import { scanSqlText, type SqlTextFinding } from './sql-text-scanner.js';

/**
 * No SQL is built from input by concatenation (issue 12 §5). Every value reaches the
 * database as a bind parameter of Kysely's `sql` tag or query builder, and dynamic
 * identifiers go through `sql.ref` / `sql.table` (the driver's identifier quoting). The
 * scanner below finds every other way SQL text is assembled in `src/`; each one must be in
 * this allowlist, with the reason it cannot carry input.
 */
const ALLOWED: readonly { file: string; contains: string; why: string }[] = [
  {
    file: 'src/db/migrator.ts',
    contains: 'sql.raw(`${SCRIPT_MARKER}\\n${script}`)',
    why: "runs the package's own migrations/*.sql files (read by SqlFileMigrationProvider) as one script: no input reaches it",
  },
  {
    file: 'src/entities/nfl/nfl-events.ts',
    contains: 'sql.raw(COLUMN_TYPES[c])',
    why: 'a PostgreSQL type name from the constant COLUMN_TYPES map, indexed by a column name from code (a typed union), never input',
  },
  {
    file: 'src/features/history-copy.ts',
    contains: "'${cutoff.toISOString()}'::timestamptz`",
    why: 'COPY takes no bind parameters; the value is Date#toISOString() of a Date, which only ever yields an ISO instant',
  },
  {
    file: 'src/features/history-copy.ts',
    contains: '`COPY (SELECT entity_key',
    why: 'COPY takes no bind parameters; it splices only featureId (checked Number.isSafeInteger first) and the cutoff fragment above',
  },
  {
    file: 'src/features/ingest.ts',
    contains: '`COPY precog_stage (${STAGE_COLUMNS}) FROM STDIN',
    why: "STAGE_COLUMNS is a module constant naming the staging table's columns; the data travels in the COPY stream",
  },
  {
    file: 'src/features/synthetic/load-league.ts',
    contains: "`COPY markets (${MARKET_COPY_COLUMNS.join(', ')}) FROM STDIN",
    why: 'MARKET_COPY_COLUMNS is a module constant; the data travels in the COPY stream',
  },
  // Not flagged, and fine: src/db/connection.ts rewrites `FROM STDIN` / `TO STDOUT` of a COPY
  // statement into PGlite's `'/dev/blob'` with a fixed replacement string (toDevBlob).
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const allowed = (f: SqlTextFinding) => ALLOWED.find((a) => a.file === f.file && f.text.includes(a.contains));

describe('no SQL built from input', () => {
  it('finds the ways text can become SQL (the scanner itself)', () => {
    const bad = [
      'await pool.query(`select * from users where id = ${id}`);',
      "const q = 'SELECT * FROM users WHERE name = ' + name;",
      'await sql.raw(userInput).execute(db);',
      "const frag = ` and created_at <= '${cutoff}'::timestamptz`;",
      'await sql.raw(`delete from ${table}`).execute(db);',
      "await client.query('insert into t values (' + v + ')');",
      'const copy = `COPY ${table} FROM STDIN`;',
    ];
    for (const code of bad) expect(scanSqlText('x.ts', code), code).not.toEqual([]);
    const good = [
      'await sql`select * from t where id = ${id}`.execute(db);',
      'await sql<{ n: number }>`select count(*) from ${sql.table(t)} where k = ${k}`.execute(db);',
      'throw new Error(`feature ${name} not found; register it first`);',
      "await sql.raw('select 1').execute(db);",
      'const q = db.selectFrom("t").where("id", "=", id);',
      "const message = 'pick one of the datasets from the list: ' + names.join(', ');",
    ];
    for (const code of good) expect(scanSqlText('x.ts', code), code).toEqual([]);
  });

  it('src/ assembles SQL text only where the allowlist says why no input can reach it', () => {
    const findings = sourceFiles(path.join(REPO_ROOT, 'src')).flatMap((file) =>
      scanSqlText(path.relative(REPO_ROOT, file).split(path.sep).join('/'), fs.readFileSync(file, 'utf8')),
    );
    const unexplained = findings.filter((f) => !allowed(f)).map((f) => `${f.file}:${f.line} (${f.kind}) ${f.text.slice(0, 200)}`);
    expect(unexplained, 'SQL text built outside the sql tag: bind the values, or justify it in ALLOWED').toEqual([]);
    // An entry that no longer matches anything is stale: remove it.
    const stale = ALLOWED.filter((a) => !findings.some((f) => allowed(f) === a)).map((a) => `${a.file}: ${a.contains}`);
    expect(stale).toEqual([]);
    console.log(`no-sql-concatenation: ${findings.length} places in src/ assemble SQL text, all allowlisted`);
  });
});
