import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { translateDatabaseError } from '../../src/db/constraint-errors.js';
import { ConstraintViolationError } from '../../src/db/errors.js';
import { registerFeature } from '../../src/features/registry.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { countRows, seedEvents, seedTeams, teamFeature } from '../support/fixtures.js';

describeEachEngine('feature store constraints', (engine) => {
  let db: TestDatabase;
  let teamFeatureId: number;
  let eventFeatureId: number;
  let kc: number;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    kc = (await seedTeams(db, ['KC'])).get('KC')!;
    await seedEvents(db, ['E1']);
    teamFeatureId = (await registerFeature(db.db, teamFeature('r'))).feature.feature_id;
    eventFeatureId = (await registerFeature(db.db, { ...teamFeature('p'), entity_type: 'event' })).feature.feature_id;
  });
  afterAll(() => db.dispose());

  const insert = (values: Record<string, unknown>) =>
    sql`insert into features_historical (feature_id, entity_type, team_id, event_id, "timestamp", feature_value, external_source)
        values (${values['feature_id']}, ${values['entity_type']}, ${values['team_id'] ?? null}, ${values['event_id'] ?? null},
                '2024-01-01', ${values['value'] ?? 1}, 'test')`
      .execute(db.db)
      .then(
        () => undefined,
        (e: unknown) => translateDatabaseError(e) as Error,
      );

  it('rejects each broken rule with the table and rule named, writing nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ feature_id: teamFeatureId, entity_type: 'team', team_id: kc, event_id: 'E1' }, /exactly one of team_id/],
      [{ feature_id: teamFeatureId, entity_type: 'team', event_id: 'E1' }, /match the feature's entity_type|exactly one|entity column/],
      [{ feature_id: eventFeatureId, entity_type: 'team', team_id: kc }, /registered feature of its entity type/],
      [{ feature_id: teamFeatureId, entity_type: 'team', team_id: 999_999 }, /team_id must reference an existing team/],
      [{ feature_id: eventFeatureId, entity_type: 'event', event_id: 'NOPE' }, /event_id must reference an existing event/],
      [{ feature_id: teamFeatureId, entity_type: 'team', team_id: kc, value: 'NaN' }, /finite number/],
    ];
    for (const [values, rule] of cases) {
      const error = await insert(values);
      expect(error, JSON.stringify(values)).toBeInstanceOf(ConstraintViolationError);
      expect(error!.message).toMatch(/features_historical/);
      expect(error!.message).toMatch(rule);
    }
    expect(await countRows(db, 'features_historical')).toBe(0);
  });

  it('keeps history append-only and referenced entities undeletable', async () => {
    expect(await insert({ feature_id: teamFeatureId, entity_type: 'team', team_id: kc })).toBeUndefined();
    const update = await sql`update features_historical set feature_value = 2`.execute(db.db).catch((e: unknown) => translateDatabaseError(e));
    expect(update).toBeInstanceOf(ConstraintViolationError);
    expect((update as Error).message).toMatch(/append-only/);
    const del = await sql`delete from teams where team_id = ${kc}`.execute(db.db).catch((e: unknown) => translateDatabaseError(e));
    expect(del).toBeInstanceOf(ConstraintViolationError);
    expect((del as Error).message).toMatch(/still referenced|referenced team cannot be deleted/);
    expect(await countRows(db, 'teams')).toBe(1);
    // an event update that keeps the key is fine; renaming a referenced key is not
    await insert({ feature_id: eventFeatureId, entity_type: 'event', event_id: 'E1' });
    await sql`update events set title = 'renamed' where event_id = 'E1'`.execute(db.db);
    const rename = await sql`update events set event_id = 'E2' where event_id = 'E1'`.execute(db.db).catch((e: unknown) => translateDatabaseError(e));
    expect(rename).toBeInstanceOf(ConstraintViolationError);
  });
});
