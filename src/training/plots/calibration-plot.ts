import type { CalibrationBin } from '../metrics/calibration.js';
import { el, seriesColor, svgDocument, text, tickLabel, title } from './svg.js';

/** One forecaster's calibration table, as `calibrationBins` returns it. */
export interface CalibrationSeries {
  readonly name: string;
  readonly bins: readonly CalibrationBin[];
}

/** Size and title of a calibration plot. */
export interface CalibrationPlotOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 56, right: 16, top: 36, bottom: 44 };
const COUNT_STRIP = 80;
const GAP = 28;

/**
 * A reliability diagram as an SVG document: for each series, one point per non-empty bin
 * at (mean forecast, observed rate) — a `<circle class="point">` with a tooltip giving the
 * bin, its count and both rates — joined by a line; the diagonal of perfect calibration
 * (dashed); and below, a strip of bars with each bin's count per series
 * (`<rect class="count-bar">`, one per non-empty bin). Empty bins draw nothing. Text is
 * XML-escaped; the same input gives the same bytes.
 */
export function calibrationPlotSvg(series: readonly CalibrationSeries[], options: CalibrationPlotOptions = {}): string {
  const width = options.width ?? 480;
  const height = options.height ?? 560;
  const label = options.title ?? 'Calibration';
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom - COUNT_STRIP - GAP;
  const x = (p: number): number => MARGIN.left + p * plotW;
  const y = (p: number): number => MARGIN.top + (1 - p) * plotH;
  const stripTop = MARGIN.top + plotH + GAP;
  const parts: string[] = [text(width / 2, 20, label, { 'text-anchor': 'middle', 'font-size': '14' })];

  const grid: string[] = [];
  for (let k = 0; k <= 5; k++) {
    const v = k / 5;
    grid.push(el('line', { x1: x(v), y1: y(0), x2: x(v), y2: y(1), stroke: '#e5e5e5' }));
    grid.push(el('line', { x1: x(0), y1: y(v), x2: x(1), y2: y(v), stroke: '#e5e5e5' }));
    grid.push(text(x(v), stripTop + COUNT_STRIP + 16, tickLabel(v), { 'text-anchor': 'middle' }));
    grid.push(text(x(0) - 6, y(v) + 4, tickLabel(v), { 'text-anchor': 'end' }));
  }
  parts.push(el('g', { class: 'grid' }, grid));
  parts.push(el('rect', { x: x(0), y: y(1), width: plotW, height: plotH, fill: 'none', stroke: '#999999' }));
  parts.push(
    el('line', { class: 'diagonal', x1: x(0), y1: y(0), x2: x(1), y2: y(1), stroke: '#777777', 'stroke-dasharray': '4 4' }),
  );
  parts.push(text(width / 2, height - 8, 'forecast probability', { 'text-anchor': 'middle' }));
  parts.push(
    text(14, y(0.5), 'observed frequency', { 'text-anchor': 'middle', transform: `rotate(-90 14 ${y(0.5).toFixed(2)})` }),
  );

  const binCount = Math.max(0, ...series.map((s) => s.bins.length));
  const maxCount = Math.max(1, ...series.flatMap((s) => s.bins.map((b) => b.count)));
  const barSlot = binCount === 0 ? 0 : plotW / binCount / Math.max(1, series.length);
  parts.push(el('rect', { x: x(0), y: stripTop, width: plotW, height: COUNT_STRIP, fill: 'none', stroke: '#999999' }));
  parts.push(text(x(0) - 6, stripTop + 10, String(maxCount), { 'text-anchor': 'end', 'font-size': '10' }));
  parts.push(text(x(0) - 6, stripTop + COUNT_STRIP, '0', { 'text-anchor': 'end', 'font-size': '10' }));

  series.forEach((s, i) => {
    const color = seriesColor(i);
    const points = s.bins.flatMap((bin) =>
      bin.count > 0 && bin.meanProbability !== null && bin.observedRate !== null
        ? [{ bin, cx: x(bin.meanProbability), cy: y(bin.observedRate), p: bin.meanProbability, o: bin.observedRate }]
        : [],
    );
    const group: string[] = [];
    if (points.length > 1) {
      const line = points.map(({ cx, cy }) => `${cx.toFixed(2)},${cy.toFixed(2)}`).join(' ');
      group.push(el('polyline', { points: line, fill: 'none', stroke: color, 'stroke-width': '1.5' }));
    }
    for (const { bin, cx, cy, p, o } of points) {
      const range = `[${tickLabel(bin.lower)}, ${tickLabel(bin.upper)})`;
      const tip = `${s.name}: ${range} n=${bin.count}, forecast ${p.toFixed(3)}, observed ${o.toFixed(3)}`;
      group.push(el('circle', { class: 'point', cx, cy, r: 3.5, fill: color }, [title(tip)]));
      const barH = (bin.count / maxCount) * (COUNT_STRIP - 2);
      const bar = {
        class: 'count-bar',
        x: x(0) + (bin.index * series.length + i) * barSlot + 0.5,
        y: stripTop + COUNT_STRIP - barH,
        width: Math.max(0.5, barSlot - 1),
        height: barH,
        fill: color,
      };
      group.push(el('rect', bar, [title(`${s.name}: ${bin.count} forecasts in ${range}`)]));
    }
    group.push(el('rect', { x: x(0) + 8, y: y(1) + 8 + i * 16, width: 10, height: 10, fill: color }));
    group.push(text(x(0) + 24, y(1) + 17 + i * 16, s.name));
    parts.push(el('g', { class: 'series', 'data-name': s.name }, group));
  });
  return svgDocument(width, height, label, parts);
}
