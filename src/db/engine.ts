/** The two database engines Precog runs on: a PostgreSQL server, or embedded PGlite. */
export const ENGINES = ['postgres', 'pglite'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * Prefixed to a multi-statement SQL script so the PGlite adapter runs it with `exec`
 * (PGlite's `query` takes one statement). On a server it is only a comment.
 */
export const SCRIPT_MARKER = '/* precog:script */';
