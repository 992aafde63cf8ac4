import { describe, expect, it } from 'vitest';

import { calibrationBins } from '../../../src/training/metrics/calibration.js';
import { calibrationPlotSvg } from '../../../src/training/plots/calibration-plot.js';
import { escapeXml } from '../../../src/training/plots/svg.js';
import { checkWellFormed, count } from './xml.js';

const MODEL = calibrationBins([
  { probability: 0.12, outcome: 0 },
  { probability: 0.18, outcome: 1 },
  { probability: 0.55, outcome: 1 },
  { probability: 0.58, outcome: 0 },
  { probability: 0.91, outcome: 1 },
]);
const BASELINE = calibrationBins([
  { probability: 0.3, outcome: 0 },
  { probability: 0.7, outcome: 1 },
]);

describe('calibrationPlotSvg', () => {
  it('draws one point and one count bar per non-empty bin, per series', () => {
    const svg = calibrationPlotSvg([
      { name: 'model', bins: MODEL },
      { name: 'spread', bins: BASELINE },
    ]);
    const names = checkWellFormed(svg);
    expect(names[0]).toBe('svg');
    expect(count(svg, 'class="point"')).toBe(3 + 2);
    expect(count(svg, 'class="count-bar"')).toBe(3 + 2);
    expect(count(svg, 'class="diagonal"')).toBe(1);
    expect(count(svg, '<polyline')).toBe(2);
    expect(svg).toContain('model: [0.1, 0.2) n=2, forecast 0.150, observed 0.500');
  });

  it('places a bin at (mean forecast, observed rate) in plot coordinates', () => {
    const svg = calibrationPlotSvg([{ name: 'm', bins: MODEL }], { width: 416, height: 560 });
    // Plot area: x from 56 over 344 px; y from 36 over 560 − 36 − 44 − 80 − 28 = 372 px.
    const x = 56 + 0.15 * 344;
    const y = 36 + (1 - 0.5) * 372;
    expect(svg).toContain(`cx="${x.toFixed(2)}" cy="${y.toFixed(2)}"`);
  });

  it('escapes text and is deterministic', () => {
    const name = 'A&B <"538"> \'elo\'';
    const svg = calibrationPlotSvg([{ name, bins: MODEL }], { title: 'x < y & z' });
    checkWellFormed(svg);
    expect(svg).toContain(escapeXml(name));
    expect(svg).not.toContain(name);
    expect(svg).toContain('x &lt; y &amp; z');
    expect(calibrationPlotSvg([{ name, bins: MODEL }], { title: 'x < y & z' })).toBe(svg);
  });

  it('draws an empty frame when there is nothing to show', () => {
    const svg = calibrationPlotSvg([]);
    checkWellFormed(svg);
    expect(count(svg, 'class="point"')).toBe(0);
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  });
});
