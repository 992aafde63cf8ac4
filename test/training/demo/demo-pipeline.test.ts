import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.js';
import { RECOVERY_THRESHOLD } from '../../../src/cli/demo-commands.js';
import { runDemo } from '../../../src/training/demo/demo-pipeline.js';
import { tempDir } from '../../support/fixtures.js';

describe('the demo pipeline (small league, in-process)', () => {
  const home = tempDir('precog-demo-');
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('runs end to end and recovers the latent truth', async () => {
    const summary = await runDemo({ home, teams: 16, seasons: 6, mlpEpochs: 15 });
    expect(summary.league).toMatchObject({ teams: 16, seasons: 6 });
    expect(summary.dataset.verified).toBe(true);
    expect(summary.dataset.rows).toBeGreaterThan(400);
    expect(fs.existsSync(summary.dataset.file)).toBe(true);
    expect(summary.runs.map((r) => r.model)).toEqual(['logistic', 'mlp']);
    for (const run of summary.runs) {
      // better than a coin flip, and scored beside the market on the same games
      expect(run.brier).toBeLessThan(0.25);
      expect(run.baselines['market']).toBeDefined();
    }
    expect(summary.edges.markets).toBeGreaterThan(0);
    expect(summary.recovery.elo_vs_latent_strength).toBeGreaterThan(RECOVERY_THRESHOLD);
    expect(summary.recovery.model_vs_latent_probability).toBeGreaterThan(RECOVERY_THRESHOLD);

    // the database it leaves behind holds what the summary says
    const db = await openDatabase({ engine: 'pglite', dataDir: summary.database });
    try {
      const runs = await db.db.selectFrom('model_training_runs').select(['status']).execute();
      expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
      const edges = await db.db.selectFrom('current_edges').select(['calculation_run_id']).execute();
      expect(edges.length).toBe(summary.edges.found);
      expect(new Set(edges.map((e) => e.calculation_run_id))).toEqual(new Set(edges.length ? [summary.edges.detection] : []));
    } finally {
      await db.close();
    }
  }, 300_000);
});
