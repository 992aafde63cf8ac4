import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConstraintViolationError } from '../../src/db/errors.js';
import { translateDatabaseError } from '../../src/db/constraint-errors.js';
import {
  FeatureNotFoundError,
  FeatureVersionConflictError,
  InvalidFeatureDefinitionError,
  InvalidFeatureRefError,
} from '../../src/features/errors.js';
import { parseFeatureRef } from '../../src/features/feature-ref.js';
import { ingestValues } from '../../src/features/ingest.js';
import { getFeature, listFeatures, registerFeature, setFeatureStatus } from '../../src/features/registry.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { countRows, seedTeams, teamFeature } from '../support/fixtures.js';

describeEachEngine('feature registry', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await seedTeams(db, ['KC', 'BUF']);
  });
  afterAll(() => db.dispose());

  it('registers a version once; an identical definition again is a no-op', async () => {
    const first = await registerFeature(db.db, teamFeature('rest_days'));
    expect(first.created).toBe(true);
    const again = await registerFeature(db.db, {
      ...teamFeature('rest_days'),
      // key order of calculation_method does not matter
      calculation_method: { parameters: {}, method: 'test' },
    });
    expect(again.created).toBe(false);
    expect(again.feature.feature_id).toBe(first.feature.feature_id);
    expect(await countRows(db, 'feature_definitions')).toBe(1);
  });

  it('rejects a different definition under an existing name@version, listing the fields', async () => {
    await registerFeature(db.db, teamFeature('margin', '1'));
    const changed = { ...teamFeature('margin', '1'), unit: 'points', calculation_method: { method: 'x' } };
    const error = await registerFeature(db.db, changed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeatureVersionConflictError);
    expect((error as FeatureVersionConflictError).differences).toEqual(['unit', 'calculation_method']);
    expect((error as Error).message).toContain('margin@1');
    // a new version is the way to change it
    expect((await registerFeature(db.db, { ...changed, version: '2' })).created).toBe(true);
  });

  it('validates definitions and refs, naming the field', async () => {
    const bad = { ...teamFeature('ok'), entity_type: 'stadium' };
    await expect(registerFeature(db.db, bad)).rejects.toThrow(InvalidFeatureDefinitionError);
    await expect(registerFeature(db.db, bad)).rejects.toThrow(/entity_type/);
    await expect(registerFeature(db.db, { ...teamFeature('Bad-Name') })).rejects.toThrow(/name/);
    expect(() => parseFeatureRef('no_version')).toThrow(InvalidFeatureRefError);
    expect(parseFeatureRef('elo_rating@538.v2')).toEqual({ name: 'elo_rating', version: '538.v2' });
    await expect(getFeature(db.db, 'missing@1')).rejects.toThrow(FeatureNotFoundError);
  });

  it('deprecates a version; the database rejects any other change to a registered version', async () => {
    await registerFeature(db.db, teamFeature('win_rate'));
    const deprecated = await setFeatureStatus(db.db, 'win_rate@1', 'deprecated');
    expect(deprecated.status).toBe('deprecated');
    await expect(setFeatureStatus(db.db, 'win_rate@1', 'active')).rejects.toThrow(/deprecated to active/);
    const direct = await db.db
      .updateTable('feature_definitions')
      .set({ description: 'sneaky' } as never)
      .where('feature_name', '=', 'win_rate')
      .execute()
      .catch((e: unknown) => translateDatabaseError(e));
    expect(direct).toBeInstanceOf(ConstraintViolationError);
    expect((direct as Error).message).toMatch(/win_rate @ 1 is immutable: description/);
    expect((await getFeature(db.db, 'win_rate@1')).description).toBe('test feature win_rate');
  });

  it('lists versions with value counts and time range', async () => {
    await registerFeature(db.db, teamFeature('points_for'));
    await ingestValues(db, 'test', [
      { feature: 'points_for@1', entity: 'KC', timestamp: '2020-09-10T00:00:00Z', value: 34 },
      { feature: 'points_for@1', entity: 'BUF', timestamp: '2020-09-17T00:00:00Z', value: 27 },
    ]);
    const listed = await listFeatures(db.db, { name: 'points_for' });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ value_count: 2, entity_count: 2 });
    expect(listed[0]!.first_timestamp?.toISOString()).toBe('2020-09-10T00:00:00.000Z');
    expect(listed[0]!.last_timestamp?.toISOString()).toBe('2020-09-17T00:00:00.000Z');
  });
});
