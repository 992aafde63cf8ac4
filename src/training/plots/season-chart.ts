import { el, niceTicks, seriesColor, svgDocument, text, tickLabel, title } from './svg.js';

/** One line of a per-season chart: a value per season (null = none that season). */
export interface SeasonSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

/** Size, title and axis label of a per-season chart. */
export interface SeasonChartOptions {
  readonly title?: string;
  readonly yLabel?: string;
  readonly width?: number;
  readonly height?: number;
  /** Decimals in the point tooltips (default 4). */
  readonly decimals?: number;
}

const MARGIN = { left: 64, right: 16, top: 56, bottom: 48 };
// Legend entries sit in a row above the plot, spaced by an estimate of the text width.
const LEGEND_CHAR_WIDTH = 7;

/**
 * A per-season line chart as an SVG document (e.g. Brier score per test season, the
 * model and each baseline as its own series): seasons evenly spaced on x in the given
 * order, one `<circle class="point">` per non-null value with a tooltip, lines joining
 * consecutive non-null values (broken at nulls), round y ticks, and a legend above the
 * plot. Every
 * series must have one value per season (extra ones are ignored, missing ones are null).
 * Text is XML-escaped; the same input gives the same bytes.
 */
export function seasonChartSvg(
  seasons: readonly number[],
  series: readonly SeasonSeries[],
  options: SeasonChartOptions = {},
): string {
  const width = options.width ?? 720;
  const height = options.height ?? 360;
  const label = options.title ?? 'Brier score by season';
  const decimals = options.decimals ?? 4;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const values = series.flatMap((s) => s.values.slice(0, seasons.length)).filter((v): v is number => v !== null && Number.isFinite(v));
  const { ticks, min, max } = niceTicks(values.length === 0 ? 0 : Math.min(...values), values.length === 0 ? 1 : Math.max(...values));
  const slot = seasons.length === 0 ? plotW : plotW / seasons.length;
  const x = (i: number): number => MARGIN.left + (i + 0.5) * slot;
  const y = (v: number): number => MARGIN.top + (1 - (v - min) / (max - min)) * plotH;
  const parts: string[] = [text(width / 2, 20, label, { 'text-anchor': 'middle', 'font-size': '14' })];

  const grid: string[] = [];
  for (const t of ticks) {
    grid.push(el('line', { x1: MARGIN.left, y1: y(t), x2: MARGIN.left + plotW, y2: y(t), stroke: '#e5e5e5' }));
    grid.push(text(MARGIN.left - 6, y(t) + 4, tickLabel(t), { 'text-anchor': 'end' }));
  }
  const every = Math.max(1, Math.ceil(seasons.length / 20));
  seasons.forEach((season, i) => {
    if (i % every === 0) grid.push(text(x(i), MARGIN.top + plotH + 16, String(season), { 'text-anchor': 'middle', 'font-size': '10' }));
  });
  parts.push(el('g', { class: 'grid' }, grid));
  parts.push(el('rect', { x: MARGIN.left, y: MARGIN.top, width: plotW, height: plotH, fill: 'none', stroke: '#999999' }));
  parts.push(text(MARGIN.left + plotW / 2, height - 8, 'season', { 'text-anchor': 'middle' }));
  if (options.yLabel !== undefined) {
    const cy = MARGIN.top + plotH / 2;
    parts.push(text(14, cy, options.yLabel, { 'text-anchor': 'middle', transform: `rotate(-90 14 ${cy.toFixed(2)})` }));
  }

  let legendX = MARGIN.left;
  series.forEach((s, i) => {
    const color = seriesColor(i);
    const group: string[] = [];
    let path = '';
    let previous = false;
    seasons.forEach((season, k) => {
      const v = s.values[k] ?? null;
      if (v === null || !Number.isFinite(v)) {
        previous = false;
        return;
      }
      path += `${previous ? 'L' : 'M'}${x(k).toFixed(2)} ${y(v).toFixed(2)} `;
      previous = true;
      const tip = title(`${s.name} ${season}: ${v.toFixed(decimals)}`);
      group.push(el('circle', { class: 'point', cx: x(k), cy: y(v), r: 3, fill: color }, [tip]));
    });
    if (path !== '') group.unshift(el('path', { d: path.trim(), fill: 'none', stroke: color, 'stroke-width': '1.5' }));
    group.push(el('rect', { x: legendX, y: MARGIN.top - 20, width: 10, height: 10, fill: color }));
    group.push(text(legendX + 14, MARGIN.top - 11, s.name));
    legendX += 14 + s.name.length * LEGEND_CHAR_WIDTH + 16;
    parts.push(el('g', { class: 'series', 'data-name': s.name }, group));
  });
  return svgDocument(width, height, label, parts);
}
