import { describe, expect, it } from 'vitest';

import type { WalkForwardResult } from '../../../src/training/evaluation/walk-forward.js';
import { runWalkForward } from '../../../src/training/evaluation/walk-forward.js';
import { seasonChartSvg } from '../../../src/training/plots/season-chart.js';
import { niceTicks } from '../../../src/training/plots/svg.js';
import { walkForwardBrierSvg, walkForwardCalibrationSvg } from '../../../src/training/plots/walk-forward-plots.js';
import { checkWellFormed, count } from './xml.js';

describe('seasonChartSvg', () => {
  it('draws a point per non-null value and breaks lines at nulls', () => {
    const svg = seasonChartSvg(
      [2001, 2002, 2003, 2004],
      [
        { name: 'model', values: [0.21, 0.22, null, 0.2] },
        { name: '538 & co', values: [0.2, 0.21, 0.23, 0.19] },
      ],
    );
    checkWellFormed(svg);
    expect(count(svg, 'class="point"')).toBe(3 + 4);
    expect(count(svg, '<path')).toBe(2);
    // The model's line restarts after its gap: two M commands.
    const modelPath = /data-name="model"><path d="([^"]*)"/.exec(svg)?.[1] ?? '';
    expect(count(modelPath, 'M')).toBe(2);
    expect(svg).toContain('538 &amp; co');
    expect(svg).toContain('model 2002: 0.2200');
    expect(count(svg, '>2003</text>')).toBe(1);
  });

  it('is deterministic and survives no data', () => {
    const args = [[2000], [{ name: 'x', values: [0.25] }]] as const;
    expect(seasonChartSvg(...args)).toBe(seasonChartSvg(...args));
    checkWellFormed(seasonChartSvg([], []));
    checkWellFormed(seasonChartSvg([2000], [{ name: 'x', values: [null] }]));
  });

  it('picks round ticks covering the values', () => {
    // Range 0.058 / 5 targets ≈ 0.0116 → a step of 0.02.
    expect(niceTicks(0.183, 0.241)).toEqual({ ticks: [0.18, 0.2, 0.22, 0.24, 0.26], min: 0.18, max: 0.26 });
    expect(niceTicks(0, 1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.2, 0.2).ticks.length).toBeGreaterThan(1);
  });
});

describe('walk-forward plots', () => {
  it('chart every series of a walk-forward result', async () => {
    const result: WalkForwardResult = await runWalkForward(
      { seasons: [1, 2, 2, 3, 3, 4], outcomes: [1, 0, 1, 1, 0, 1] },
      () => ({ predict: (rows) => rows.map((r) => 0.3 + r / 10) }),
      { range: '2:4', baselines: { coin: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5] } },
    );
    const brier = walkForwardBrierSvg(result);
    checkWellFormed(brier);
    expect(count(brier, 'class="point"')).toBe(2 * 3);
    const calibration = walkForwardCalibrationSvg(result);
    expect(calibration).not.toBeNull();
    checkWellFormed(calibration ?? '');
    // model: forecasts 0.4, 0.5, 0.6, 0.7, 0.8 → 5 bins; coin: one bin.
    expect(count(calibration ?? '', 'class="point"')).toBe(5 + 1);
  });
});
