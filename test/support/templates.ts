import path from 'node:path';

/** Where test runs keep their migrated PGlite templates (git-ignored). */
export const TEMPLATE_ROOT = path.resolve(import.meta.dirname, '../../.precog-test');

/** This run's template tarball: one per run, so concurrent runs never share or delete it. */
export function pgliteTemplatePath(runId: number): string {
  return path.join(TEMPLATE_ROOT, `run-${runId}`, 'pglite-template.tar');
}

/** This run's bundles of the scripts tests start as child processes. */
export function childBundlesPath(runId: number): string {
  return path.join(TEMPLATE_ROOT, `run-${runId}`, 'children');
}

/** A per-run template database name on the server (several runs may share a server). */
export function serverTemplateName(): string {
  return `precog_tpl_${process.pid}`;
}

/** A template made from the run's template (e.g. with the NFL history imported); dropped with it. */
export function derivedTemplateName(runTemplate: string, label: string): string {
  return `${runTemplate}_${label}`;
}

/** The same server URL pointing at another database. */
export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
