import { timeRow, type BenchRow } from '../result.js';

/** Scenario 5's target: PGlite takes at most this multiple of the server's time. */
export const PGLITE_MAX_RATIO = 3;

/** The scenarios whose Precog times are compared across engines. */
export const ENGINE_RATIO_SCENARIOS = ['ingest', 'dataset build', 'scd2 updates'] as const;

/**
 * Scenario 5: for each of scenarios 1–3 measured on both engines, PGlite's time for the
 * same rows against the server's (ratio = PGlite seconds ÷ server seconds).
 */
export function engineRatioRows(rows: readonly BenchRow[]): BenchRow[] {
  const out: BenchRow[] = [];
  for (const scenario of ENGINE_RATIO_SCENARIOS) {
    const embedded = rows.find((r) => r.scenario === scenario && r.engine === 'pglite');
    const server = rows.find((r) => r.scenario === scenario && r.engine === 'postgres');
    if (!embedded || !server) continue;
    out.push(
      timeRow(
        { scenario: `pglite vs server: ${scenario}`, engine: 'pglite/postgres', rows: embedded.rows, seconds: embedded.seconds },
        { name: 'server', seconds: server.seconds },
        PGLITE_MAX_RATIO,
      ),
    );
  }
  return out;
}
