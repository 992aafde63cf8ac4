import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type PrecogDb } from '../../src/db/connection.js';
import { ensureModel } from '../../src/training/model-registry.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';

describeEachEngine('model registry', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(() => db?.dispose());

  it('registers a configuration once: the same config gives the same model, another a new version', async () => {
    const config = { hyperparameters: { epochs: 5 }, columns: ['a', 'b'] };
    const first = await ensureModel(db.db, { type: 'logistic', sport: 'nfl', config });
    const again = await ensureModel(db.db, { type: 'logistic', sport: 'nfl', config });
    expect(again.model_id).toBe(first.model_id);
    const other = await ensureModel(db.db, { type: 'logistic', sport: 'nfl', config: { ...config, columns: ['a'] } });
    expect(other.model_id).not.toBe(first.model_id);
    expect(other.model_name).toBe(first.model_name);
  });

  if (engine === 'postgres') {
    it('concurrent callers with one new configuration all get the one model, none fails', async () => {
      const callers: PrecogDb[] = await Promise.all(Array.from({ length: 8 }, () => openDatabase({ engine: 'postgres', url: db.url! })));
      try {
        const config = { hyperparameters: { epochs: 7 }, columns: ['race'] };
        const models = await Promise.all(callers.map((c) => ensureModel(c.db, { type: 'mlp', sport: 'nfl', config })));
        expect(new Set(models.map((m) => m.model_id)).size).toBe(1);
        const rows = await db.db.selectFrom('probability_models').select('model_id').where('model_version', '=', models[0]!.model_version).execute();
        expect(rows).toHaveLength(1);
      } finally {
        await Promise.all(callers.map((c) => c.close()));
      }
    });
  }
});
