import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { runElo, type EloGame, type EloGameRating } from '../../../src/training/elo/elo-engine.js';
import { eloWinProbability } from '../../../src/training/elo/elo-probability.js';
import { FIXED_REVERSIONS_538, create538EloParams } from '../../../src/training/elo/preset-538.js';
import { accuracy } from '../../../src/training/metrics/accuracy.js';
import { brier } from '../../../src/training/metrics/brier.js';
import { seasonPoints538 } from '../../../src/training/metrics/game-points-538.js';
import { logLoss } from '../../../src/training/metrics/log-loss.js';
import type { Prediction } from '../../../src/training/metrics/prediction.js';

const dataDir = path.resolve(import.meta.dirname, '../../../../shared/data/nfl');
const gamesFile = path.join(dataDir, 'nfl_games.csv');
const elosFile = path.join(dataDir, 'initial_elos.csv');
const present = existsSync(gamesFile) && existsSync(elosFile);
if (!present) console.warn(`elo-538: skipped, 538's NFL data not found at ${dataDir}`);

const score = z.string().transform((s, ctx) => {
  if (s === '') return null;
  const n = Number(s);
  if (!Number.isInteger(n)) ctx.addIssue({ code: 'custom', message: `bad score ${s}` });
  return n;
});
const flag = z.enum(['0', '1']).transform((s) => s === '1');
const num = z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number);

const gameRow = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  season: num.pipe(z.number().int()),
  neutral: flag,
  playoff: flag,
  team1: z.string().min(1),
  team2: z.string().min(1),
  elo1: num,
  elo2: num,
  elo_prob1: num,
  score1: score,
  score2: score,
  result1: z.enum(['0', '0.5', '1']).transform((s) => (s === '1' ? 1 : s === '0' ? 0 : 0.5)),
});
type GameRow = z.infer<typeof gameRow>;
type Game538 = EloGame & { readonly row: GameRow };

const eloRow = z.object({ team: z.string().min(1), elo: num });

function readCsv<T>(file: string, schema: z.ZodType<T>): T[] {
  const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as unknown[];
  return records.map((r) => schema.parse(r));
}

function toGame(row: GameRow): Game538 {
  return {
    season: row.season,
    home: row.team1,
    away: row.team2,
    neutral: row.neutral,
    homeScore: row.score1,
    awayScore: row.score2,
    row,
  };
}

describe.skipIf(!present)("538's NFL Elo, reproduced on nfl_games.csv", () => {
  let rows: GameRow[] = [];
  let initialRatings: Record<string, number> = {};
  let rated: readonly EloGameRating<Game538>[] = [];

  beforeAll(() => {
    rows = readCsv(gamesFile, gameRow);
    initialRatings = Object.fromEntries(readCsv(elosFile, eloRow).map((r) => [r.team, r.elo]));
    rated = runElo(create538EloParams(initialRatings), rows.map(toGame)).games;
  });

  it('reads every game, already in date order', () => {
    expect(rows).toHaveLength(16_810);
    // The engine needs date order; the file has it, so no re-sort (which could reorder days).
    for (let i = 1; i < rows.length; i++) {
      expect((rows[i]?.date ?? '') >= (rows[i - 1]?.date ?? '')).toBe(true);
    }
  });

  it("matches 538's elo_prob1 within 1e-5 and elo1/elo2 within 1e-3 on every game", () => {
    let maxProb = 0;
    let maxRating = 0;
    for (const r of rated) {
      const row = r.game.row;
      maxProb = Math.max(maxProb, Math.abs(r.homeWinProbability - row.elo_prob1));
      maxRating = Math.max(
        maxRating,
        Math.abs(r.homeRatingBefore - row.elo1),
        Math.abs(r.awayRatingBefore - row.elo2),
      );
    }
    // Measured: 1.66e-6 and 9.05e-4. The residue is 538's rounding, not ours: elo1/elo2
    // (until 2015-09-14), initial_elos.csv and the fixed reversions are all printed to 3
    // decimals, and elo_prob1 is computed from the printed elo1/elo2 (next test).
    expect(rated).toHaveLength(16_810);
    expect(maxProb).toBeLessThanOrEqual(1e-5);
    expect(maxRating).toBeLessThanOrEqual(1e-3);
  });

  it("derives elo_prob1 from the printed elo1/elo2 with 538's formula", () => {
    let max = 0;
    for (const row of rows) {
      const p = eloWinProbability(row.elo1 - row.elo2 + (row.neutral ? 0 : 65));
      max = Math.max(max, Math.abs(p - row.elo_prob1));
    }
    expect(max).toBeLessThanOrEqual(1e-12);
  });

  it('gives every expansion team the default 1300 (initial_elos.csv only adds the others)', () => {
    const nonDefault = Object.fromEntries(Object.entries(initialRatings).filter(([, elo]) => elo !== 1300));
    expect(Object.keys(nonDefault).length).toBeLessThan(Object.keys(initialRatings).length);
    const again = runElo(create538EloParams(nonDefault), rows.map(toGame)).games;
    expect(again.map((g) => g.homeWinProbability)).toEqual(rated.map((g) => g.homeWinProbability));
  });

  it('uses every fixed reversion exactly once, for the teams that skipped seasons', () => {
    const run = runElo(create538EloParams(initialRatings), rows.map(toGame));
    const fixed = run.reversions.filter((r) => r.fixed).map((r) => `${r.team}${r.season}`);
    expect(fixed.sort()).toEqual(Object.keys(FIXED_REVERSIONS_538).sort());
    const lastSeason = new Map<string, number>();
    const gaps: string[] = [];
    for (const row of rows) {
      for (const team of [row.team1, row.team2]) {
        const last = lastSeason.get(team);
        if (last !== undefined && row.season - last > 1) gaps.push(`${team}${row.season}`);
        lastSeason.set(team, row.season);
      }
    }
    expect(gaps.sort()).toEqual(fixed);
  });

  function predictions538(from: number, to: number): Prediction[] {
    return rows
      .filter((r) => r.season >= from && r.season <= to && r.result1 !== 0.5)
      .map((r) => ({ probability: r.elo_prob1, outcome: r.result1 }));
  }

  it("scores 538's forecasts as the README's reference table, 1920–2020", () => {
    const p = predictions538(1920, 2020);
    expect(p).toHaveLength(16_494);
    expect(brier(p).toFixed(4)).toBe('0.2117');
    expect(logLoss(p).toFixed(4)).toBe('0.6109');
    expect((accuracy(p) * 100).toFixed(1)).toBe('66.6');
  });

  it("scores 538's forecasts as the README's reference table, 2000–2020", () => {
    const p = predictions538(2000, 2020);
    expect(p).toHaveLength(5_582);
    expect(brier(p).toFixed(4)).toBe('0.2200');
    expect((accuracy(p) * 100).toFixed(1)).toBe('64.3');
    // The README prints 0.6295, but the exact value is 0.629447…, which rounds to 0.6294
    // (no variant tried — our own probabilities, rounded probabilities, per-season means,
    // float32 sums, calendar years — reaches 0.62945). We pin the measured value instead.
    expect(logLoss(p)).toBeCloseTo(0.629447, 6);
    expect(logLoss(p).toFixed(4)).toBe('0.6294');
  });

  it('averages 648.24 points per season in 538’s game, 1920–2020', () => {
    const points = seasonPoints538(
      rows.map((r) => ({ season: r.season, probability: r.elo_prob1, outcome: r.result1, playoff: r.playoff })),
    );
    expect(points.bySeason.size).toBe(101);
    expect(points.average.toFixed(2)).toBe('648.24');
    // Our engine's own probabilities score the same in every season.
    const ours = seasonPoints538(
      rated.map((g) => ({
        season: g.season,
        probability: g.homeWinProbability,
        outcome: g.game.row.result1,
        playoff: g.game.row.playoff,
      })),
    );
    expect(ours.bySeason).toEqual(points.bySeason);
  });
});
