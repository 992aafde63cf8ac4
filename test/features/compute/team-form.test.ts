import { afterAll, beforeAll, expect, it } from 'vitest';
import { computeAndStoreTeamForm } from '../../../src/features/compute/compute-team-form.js';
import { getFeatureValuesAt } from '../../../src/features/point-in-time.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { HOUR, kickoff, seedLeague } from '../../datasets/dataset-fixture.js';

describeEachEngine('computed team-form features', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await seedLeague(db);
  });
  afterAll(() => db.dispose());

  it('are knowable before the games they feed, and idempotent', async () => {
    const first = await computeAndStoreTeamForm(db, 'nfl');
    expect(first.features).toEqual(['margin_avg@1', 'points_for_avg@1', 'points_against_avg@1', 'win_rate_season@1', 'rest_days@1']);
    expect(first.report.inserted).toBeGreaterThan(0);
    const again = await computeAndStoreTeamForm(db, 'nfl');
    expect(again.report).toMatchObject({ inserted: 0, corrected: 0, unchanged: first.report.inserted });

    // AAA before game 4 (2022, vs CCC): games 0 (24-17 home) and 3 (31-7 away) so far.
    const label4 = new Date(kickoff(4).getTime() - HOUR);
    const { values } = await getFeatureValuesAt(db.db, [{ entity: 'AAA', time: label4 }], first.features, { mode: 'known' });
    const [margin, pf, pa, winRate, rest] = values.map((v) => v[0]?.value ?? null);
    expect(margin).toBe((7 + 24) / 2);
    expect(pf).toBe((24 + 31) / 2);
    expect(pa).toBe((17 + 7) / 2);
    // a new season: the prior, not last season's 2/2
    expect(winRate).toBe(0.5);
    // games 3 and 4 are a week apart
    expect(rest).toBe(7);
    // at game 3's own label time, game 3's result is not visible yet
    const label3 = new Date(kickoff(3).getTime() - HOUR);
    const before3 = await getFeatureValuesAt(db.db, [{ entity: 'AAA', time: label3 }], ['margin_avg@1'], { mode: 'known' });
    expect(before3.values[0]![0]!.value).toBe(7);
  });
});
