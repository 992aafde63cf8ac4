import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFiveThirtyEightCsvFile, type FiveThirtyEightGame } from '../../../src/entities/nfl/fivethirtyeight-csv.js';
import { parseInitialElosCsvFile } from '../../../src/entities/nfl/initial-elos-csv.js';
import { nflEventId } from '../../../src/entities/nfl/nfl-events.js';
import { labelTime, nflKickoff, postGameStamp } from '../../../src/entities/nfl/nfl-timeline.js';
import { getFeatureValuesAt } from '../../../src/features/point-in-time.js';
import { getFeature } from '../../../src/features/registry.js';
import { runEloOnStore, type EloRunReport } from '../../../src/training/elo/elo-run.js';
import { describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { createNfl538Database } from '../../support/nfl-template.js';
import { NFL_FILES, nflDataPresent, nflTableCounts, secondsSince } from '../../features/sources/nfl-data.js';

const present = nflDataPresent('Elo over the store');

describe.skipIf(!present)('Elo over the store, on real data', () => {
  describeEachEngine('import nfl-538, elo run --preset 538', (engine) => {
    let db: TestDatabase;
    let games: readonly FiveThirtyEightGame[];
    let report: EloRunReport;

    beforeAll(async () => {
      // The Elo run needs 538's games only; the importers' own suite covers spreadspoke.
      const nfl = await createNfl538Database(engine, NFL_FILES.games);
      db = nfl.db;
      games = await parseFiveThirtyEightCsvFile(NFL_FILES.games);
      const start = performance.now();
      report = await runEloOnStore(db, { preset: '538' });
      console.log(`[${engine}] elo run ${secondsSince(start)} s (on the run's NFL template)`);
    });
    afterAll(async () => {
      await db?.dispose();
    });

    it("reproduces 538's probabilities to ≤ 1e-5 on every game", () => {
      const window = report.metrics['2000-2020']!;
      console.log(
        `[${engine}] elo run --preset 538: ${report.games} games, maxAbsDiffVs538 ${report.maxAbsDiffVs538}, ` +
          `Brier ${report.metrics.overall.brier?.toFixed(4)} overall, ${window.brier?.toFixed(4)} in 2000–2020 ` +
          `(log loss ${window.logLoss?.toFixed(4)}, ${window.games} decided games)`,
      );
      expect(report).toMatchObject({
        version: '538',
        features: { rating: 'elo_rating@538', probability: 'elo_prob_home@538' },
        registered: true,
        games: 16_810,
        unplayed: 0,
        comparedVs538: 16_810,
        initialRatings: { source: 'store', teams: 123 },
      });
      expect(report.maxAbsDiffVs538).toBeLessThanOrEqual(1e-5);
      expect(report.metrics.overall).toMatchObject({ games: 16_494, seasons: { first: 1920, last: 2020 } });
      expect(report.metrics.overall.brier?.toFixed(4)).toBe('0.2117');
      expect(window).toMatchObject({ games: 5_582, seasons: { first: 2000, last: 2020 } });
      expect(window.brier?.toFixed(4)).toBe('0.2200');
      expect(window.logLoss?.toFixed(4)).toBe('0.6294');
    });

    it("serves elo_rating@538 point-in-time: at each game's label time it is 538's pre-game elo1/elo2 (≤ 1e-3)", async () => {
      const rows = games.flatMap((g) => {
        const time = labelTime(nflKickoff(g.date));
        return [{ entity: g.team1, time }, { entity: g.team2, time }];
      });
      const { values } = await getFeatureValuesAt(db.db, rows, ['elo_rating@538'], { mode: 'known' });
      let max = 0;
      const misses: string[] = [];
      games.forEach((g, i) => {
        const [a, b] = [values[0]![2 * i], values[0]![2 * i + 1]];
        if (!a || !b) misses.push(`${g.date} ${g.team2}@${g.team1}`);
        else max = Math.max(max, Math.abs(a.value - g.elo1), Math.abs(b.value - g.elo2));
      });
      expect(misses).toEqual([]);
      expect(max).toBeLessThanOrEqual(1e-3);
    });

    it('serves elo_prob_home@538 at the label time, and each post-game rating only once the game is over', async () => {
      const g = games.find((x) => x.date === '2020-09-10')!;
      const kickoff = nflKickoff(g.date);
      const { values } = await getFeatureValuesAt(
        db.db,
        [{ entity: nflEventId(g.date, g.team1, g.team2), time: labelTime(kickoff) }],
        ['elo_prob_home@538'],
        { mode: 'known' },
      );
      expect(Math.abs(values[0]![0]!.value - g.eloProb1)).toBeLessThanOrEqual(1e-5);
      const rating = async (time: Date) =>
        (await getFeatureValuesAt(db.db, [{ entity: g.team1, time }], ['elo_rating@538'], { mode: 'known' })).values[0]![0]!.value;
      expect(await rating(new Date(postGameStamp(kickoff).getTime() - 1))).toBeCloseTo(g.elo1, 2);
      expect(await rating(postGameStamp(kickoff))).not.toBeCloseTo(g.elo1, 2);
    });

    it('re-running the same parameters changes nothing; initial_elos.csv gives the same parameter set', async () => {
      const before = await nflTableCounts(db);
      // Ratings from the file equal each team's first stored elo538_rating: one parameter set.
      const initialRatings = await parseInitialElosCsvFile(NFL_FILES.initialElos);
      const again = await runEloOnStore(db, { preset: '538', initialRatings });
      expect(again).toMatchObject({ version: '538', registered: false, initialRatings: { source: 'option' } });
      expect(again.store).toEqual({ read: report.store.read, inserted: 0, corrected: 0, unchanged: report.store.read });
      expect(again.predictions.map((p) => p.prob1)).toEqual(report.predictions.map((p) => p.prob1));
      expect(await nflTableCounts(db)).toEqual(before);
    });

    it('stores a modified parameter set as a new version whose definition holds the parameters', async () => {
      const k25 = await runEloOnStore(db, { preset: '538', overrides: { k: 25 } });
      expect(k25.version).toMatch(/^p[0-9a-f]{10}$/);
      expect(k25).toMatchObject({ registered: true, params: { k: 25, homeAdvantage: 65 } });
      expect(k25.maxAbsDiffVs538).toBeGreaterThan(1e-3);
      const def = await getFeature(db.db, `elo_rating@${k25.version}`);
      expect(def.calculation_method).toMatchObject({ method: 'elo', parameters: { preset: '538', k: 25, revertTo: 1505 } });
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from features_historical h join feature_definitions d using (feature_id)
         where d.feature_version = ${k25.version}`.execute(db.db);
      expect(rows[0]!.n).toBe(k25.store.inserted);
    });
  });
});
