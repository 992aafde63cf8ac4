import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { InvalidEvaluationInputError, InvalidSeasonRangeError, NoWalkForwardFoldsError } from '../../../src/training/evaluation/errors.js';
import { parseSeasonRange } from '../../../src/training/evaluation/season-range.js';
import {
  planWalkForward,
  runWalkForward,
  type FoldFitter,
  type WalkForwardFold,
} from '../../../src/training/evaluation/walk-forward.js';

/** A model that forecasts the training rows' mean outcome for every test row. */
function baseRate(outcomes: readonly number[]): FoldFitter {
  return (trainRows) => {
    const p = trainRows.reduce((s, r) => s + (outcomes[r] ?? 0), 0) / trainRows.length;
    return { info: { p }, predict: (testRows) => testRows.map(() => p) };
  };
}

describe('parseSeasonRange', () => {
  it('reads from:to and single seasons, and rejects the rest', () => {
    expect(parseSeasonRange('2000:2020')).toEqual({ from: 2000, to: 2020 });
    expect(parseSeasonRange(' 2010 ')).toEqual({ from: 2010, to: 2010 });
    expect(() => parseSeasonRange('2020:2000')).toThrow(InvalidSeasonRangeError);
    expect(() => parseSeasonRange('2000-2020')).toThrow(InvalidSeasonRangeError);
    expect(() => parseSeasonRange({ from: 2000.5, to: 2001 })).toThrow(/integers/);
  });
});

describe('planWalkForward', () => {
  it('tests each present season of the range on the seasons before it', () => {
    const plan = planWalkForward([2003, 2001, 2001, 2002, 2005, 2000], { range: '2000:2005', trainWindow: 2 });
    expect(plan.folds).toEqual([
      { testSeason: 2001, trainSeasons: [2000] },
      { testSeason: 2002, trainSeasons: [2000, 2001] },
      { testSeason: 2003, trainSeasons: [2001, 2002] },
      // 2004 is absent: the window counts seasons present in the data.
      { testSeason: 2005, trainSeasons: [2002, 2003] },
    ]);
    expect(plan.skipped).toEqual([{ season: 2000, reason: 'no earlier season to train on' }]);
    expect(planWalkForward([2000, 2001, 2002], { range: '2002:2002' }).folds).toEqual([
      { testSeason: 2002, trainSeasons: [2000, 2001] },
    ]);
  });

  it('rejects a bad window or season', () => {
    expect(() => planWalkForward([2000], { range: '2000:2001', trainWindow: 0 })).toThrow(InvalidEvaluationInputError);
    expect(() => planWalkForward([2000, 2000.5], { range: '2000:2001' })).toThrow(/seasons\[1\]/);
  });

  it('never trains on the test season or a later one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1990, max: 2010 }), { maxLength: 60 }),
        fc.integer({ min: 1985, max: 2012 }),
        fc.integer({ min: 0, max: 15 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        (seasons, from, span, trainWindow) => {
          const range = { from, to: from + span };
          const plan = planWalkForward(seasons, { range, ...(trainWindow === undefined ? {} : { trainWindow }) });
          const present = [...new Set(seasons)].sort((a, b) => a - b);
          const inRange = present.filter((s) => s >= range.from && s <= range.to);
          // Every present season in range is either a fold or skipped (only the first season).
          expect([...plan.folds.map((f) => f.testSeason), ...plan.skipped.map((s) => s.season)].sort()).toEqual(inRange);
          plan.skipped.forEach((s) => expect(s.season).toBe(present[0]));
          for (const fold of plan.folds) {
            expect(fold.trainSeasons.length).toBeGreaterThan(0);
            for (const s of fold.trainSeasons) {
              expect(s).toBeLessThan(fold.testSeason);
              expect(present).toContain(s);
            }
            const earlier = present.filter((s) => s < fold.testSeason);
            expect(fold.trainSeasons).toEqual(trainWindow === undefined ? earlier : earlier.slice(-trainWindow));
          }
        },
      ),
    );
  });
});

describe('runWalkForward', () => {
  // Rows:        0     1     2     3     4     5     6
  const seasons = [2000, 2000, 2001, 2001, 2001, 2002, 2002];
  const outcomes = [1, 0, 1, 0, 1, 0, 1];
  const b = [null, null, 0.9, null, 0.6, 0.2, 0.7];

  it('scores model and baseline on exactly the same rows (hand-computed)', async () => {
    const calls: { trainRows: readonly number[]; fold: WalkForwardFold }[] = [];
    const inner = baseRate(outcomes);
    const fit: FoldFitter = (trainRows, fold) => {
      calls.push({ trainRows, fold });
      return inner(trainRows, fold);
    };
    const result = await runWalkForward({ seasons, outcomes }, fit, { range: '2001:2002', baselines: { b } });

    expect(calls.map((c) => c.trainRows)).toEqual([
      [0, 1],
      [0, 1, 2, 3, 4],
    ]);
    expect(result.plan.skipped).toEqual([]);
    expect(result.predictions.rows).toEqual(Int32Array.from([2, 3, 4, 5, 6]));
    expect(result.predictions.series['model']).toEqual(Float64Array.from([0.5, 0.5, 0.5, 0.6, 0.6]));
    expect(result.predictions.series['b']).toEqual(Float64Array.from([0.9, NaN, 0.6, 0.2, 0.7]));
    expect(result.predictions.compared).toEqual(Uint8Array.from([1, 0, 1, 1, 1]));

    const [f2001, f2002] = result.folds;
    expect(f2001).toMatchObject({ testSeason: 2001, trainRows: 2, testRows: 3, comparedRows: 2, excludedRows: 1 });
    expect(f2001?.missingByBaseline).toEqual({ b: 1 });
    expect(f2001?.info).toEqual({ model: { p: 0.5 } });
    // 2001, rows 2 and 4 (both wins): model 0.5, 0.5; b 0.9, 0.6.
    expect(f2001?.metrics?.['model']?.brier).toBeCloseTo(0.25, 15);
    expect(f2001?.metrics?.['b']?.brier).toBeCloseTo((0.01 + 0.16) / 2, 15);
    // 2002, rows 5 (loss) and 6 (win): model 0.6, 0.6; b 0.2, 0.7.
    expect(f2002?.metrics?.['model']?.brier).toBeCloseTo((0.36 + 0.16) / 2, 15);
    expect(f2002?.metrics?.['b']?.brier).toBeCloseTo((0.04 + 0.09) / 2, 15);
    expect(f2002?.metrics?.['model']?.gamePoints538).toEqual({ total: -2, perSeason: -2 });

    const { overall } = result;
    expect(overall).toMatchObject({ testRows: 5, comparedRows: 4, excludedRows: 1 });
    const model = overall.metrics?.['model'];
    const base = overall.metrics?.['b'];
    expect(model?.n).toBe(4);
    expect(base?.n).toBe(4);
    expect(model?.brier).toBeCloseTo((0.25 + 0.25 + 0.36 + 0.16) / 4, 15);
    expect(base?.brier).toBeCloseTo((0.01 + 0.16 + 0.04 + 0.09) / 4, 15);
    expect(model?.logLoss).toBeCloseTo((2 * Math.LN2 - Math.log(0.4) - Math.log(0.6)) / 4, 15);
    expect(model?.accuracy).toBe(3 / 4);
    expect(base?.accuracy).toBe(1);
    // Bins [0.5, 0.6): 2 forecasts of 0.5, both won; [0.6, 0.7): 2 of 0.6, half won.
    expect(model?.ece).toBeCloseTo((2 * 0.5 + 2 * 0.1) / 4, 15);
    // 538 points: 0.5 → 25 − 25 = 0 twice; 0.6 lost → 25 − 36 = −11; 0.6 won → 25 − 16 = 9.
    expect(model?.gamePoints538).toEqual({ total: -2, perSeason: -1 });
    expect(model?.calibration.map((bin) => bin.count)).toEqual([0, 0, 0, 0, 0, 2, 2, 0, 0, 0]);
  });

  it('never hands a fitter a row of the test season or later (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 2000, max: 2008 }), { minLength: 2, maxLength: 40 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        async (rowSeasons, trainWindow) => {
          fc.pre(new Set(rowSeasons).size >= 2);
          const rowOutcomes = rowSeasons.map((s, i) => (s + i) % 2);
          const seen: number[] = [];
          const fit: FoldFitter = (trainRows, fold) => {
            for (const r of trainRows) expect(rowSeasons[r]).toBeLessThan(fold.testSeason);
            expect(trainRows.map((r) => rowSeasons[r])).toEqual(
              rowSeasons.filter((s) => fold.trainSeasons.includes(s)),
            );
            return {
              predict: (testRows) => {
                for (const r of testRows) expect(rowSeasons[r]).toBe(fold.testSeason);
                seen.push(...testRows);
                return testRows.map(() => 0.5);
              },
            };
          };
          const result = await runWalkForward({ seasons: rowSeasons, outcomes: rowOutcomes }, fit, {
            range: '2000:2008',
            ...(trainWindow === undefined ? {} : { trainWindow }),
          });
          const first = Math.min(...rowSeasons);
          const expected = rowSeasons.flatMap((s, r) => (s === first ? [] : [r]));
          expect([...seen].sort((x, y) => x - y)).toEqual(expected);
          expect(result.overall.comparedRows).toBe(expected.length);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('leaves ties out of accuracy and doubles playoff points', async () => {
    const result = await runWalkForward(
      { seasons: [1, 2, 2, 2], outcomes: [1, 0.5, 1, 1], playoff: [false, false, false, true] },
      () => ({ predict: (rows) => rows.map(() => 0.7) }),
      { range: '2:2' },
    );
    // 0.7 won: 25 − 100·0.09 = 16 points; in the playoffs 32; the tie scores nothing.
    expect(result.overall.metrics?.['model']).toMatchObject({ n: 3, accuracy: 1, gamePoints538: { total: 48, perSeason: 48 } });
  });

  it('reports null metrics when a baseline is missing everywhere', async () => {
    const result = await runWalkForward({ seasons: [1, 2], outcomes: [1, 0] }, baseRate([1, 0]), {
      range: '2:2',
      baselines: { b: [null, null] },
    });
    expect(result.folds[0]?.metrics).toBeNull();
    expect(result.overall).toMatchObject({ comparedRows: 0, excludedRows: 1, metrics: null });
  });

  it('rejects malformed data, forecasts and options', async () => {
    const data = { seasons, outcomes };
    await expect(runWalkForward({ seasons, outcomes: [1] }, baseRate(outcomes), { range: '2001:2002' })).rejects.toThrow(
      InvalidEvaluationInputError,
    );
    await expect(
      runWalkForward({ seasons, outcomes: outcomes.map((o, i) => (i === 3 ? 2 : o)) }, baseRate(outcomes), { range: '2001:2002' }),
    ).rejects.toThrow(/outcomes\[3\] 2/);
    await expect(runWalkForward(data, baseRate(outcomes), { range: '2000:2000' })).rejects.toThrow(NoWalkForwardFoldsError);
    await expect(runWalkForward(data, () => ({ predict: () => [0.5] }), { range: '2001:2001' })).rejects.toThrow(
      /1 forecasts/,
    );
    await expect(
      runWalkForward(data, () => ({ predict: (rows) => rows.map(() => null) }), { range: '2001:2001' }),
    ).rejects.toThrow(/must forecast every test row/);
    await expect(
      runWalkForward(data, () => ({ predict: (rows) => rows.map(() => 1.5) }), { range: '2001:2001' }),
    ).rejects.toThrow(/probability/);
    await expect(runWalkForward(data, baseRate(outcomes), { range: '2001:2002', baselines: { model: b } })).rejects.toThrow(
      /cannot be named/,
    );
    await expect(runWalkForward(data, baseRate(outcomes), { range: '2001:2002', baselines: { b: [0.5] } })).rejects.toThrow(
      /baselines\.b/,
    );
  });
});
