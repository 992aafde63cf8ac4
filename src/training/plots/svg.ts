/** Fixed series colours (colour-blind-safe Okabe–Ito order), reused cyclically. */
export const SERIES_COLORS = Object.freeze(['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000']);

/** The colour of the i-th series. */
export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length] ?? '#000000';
}

/** Escapes text for XML content and attribute values (`& < > " '`). */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate with two decimals, never `-0.00`: the same number always prints the same. */
export function coord(x: number): string {
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}

type AttributeValue = string | number | undefined;

/**
 * One element as text: attributes in the given order (numbers through {@link coord},
 * strings escaped, undefined skipped); `children` already rendered, or none for `<x/>`.
 */
export function el(name: string, attributes: Readonly<Record<string, AttributeValue>>, children?: readonly string[]): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? coord(value) : escapeXml(value)}"`)
    .join('');
  if (children === undefined) return `<${name}${attrs}/>`;
  return `<${name}${attrs}>${children.join('')}</${name}>`;
}

/** A text element with escaped content. */
export function text(x: number, y: number, content: string, attributes: Readonly<Record<string, AttributeValue>> = {}): string {
  return el('text', { x, y, ...attributes }, [escapeXml(content)]);
}

/** A `<title>` (tooltip) element with escaped content. */
export function title(content: string): string {
  return el('title', {}, [escapeXml(content)]);
}

/** The root `<svg>` element around `children`, with an accessible title. */
export function svgDocument(width: number, height: number, label: string, children: readonly string[]): string {
  return `${el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: String(width),
      height: String(height),
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': label,
      'font-family': 'sans-serif',
      'font-size': '12',
    },
    [title(label), ...children],
  )}\n`;
}

/**
 * About `target` evenly spaced round tick values (steps of 1, 2 or 5 × 10^k) covering
 * [lo, hi]; returns the ticks and the padded range they span.
 */
export function niceTicks(lo: number, hi: number, target = 5): { ticks: number[]; min: number; max: number } {
  const span = hi - lo > 0 ? hi - lo : Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const round = (v: number): number => Number(v.toPrecision(12));
  const min = round(Math.floor(lo / step) * step);
  const max = round(Math.max(Math.ceil(hi / step) * step, min + step));
  const ticks: number[] = [];
  for (let k = 0; min + k * step <= max + step * 1e-9; k++) ticks.push(round(min + k * step));
  return { ticks, min, max };
}

/** A tick label: the fewest decimals (up to 4) that print the value exactly. */
export function tickLabel(value: number): string {
  for (let d = 0; d <= 4; d++) {
    const s = value.toFixed(d);
    if (Math.abs(Number(s) - value) < 1e-12) return s;
  }
  return value.toFixed(4);
}
