import type { CalibrationBinView } from './api.js';
import { num, when } from './format.js';

/** Series colours, in order; the first is the run itself. */
export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];

/** About five round tick values covering [min, max]. */
export function ticks(min: number, max: number, target = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function extent(values: readonly number[], pad = 0.08): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    const d = Math.abs(lo) * 0.05 || 1;
    return [lo - d, hi + d];
  }
  const p = (hi - lo) * pad;
  lo -= p;
  hi += p;
  return [lo, hi];
}

function decimalsFor(step: number): number {
  return Math.max(0, Math.min(6, -Math.floor(Math.log10(step)) + 1));
}

export interface LineSeries {
  readonly name: string;
  readonly color?: string;
  readonly dashed?: boolean;
  /** One value per category (null: no point). */
  readonly values: readonly (number | null)[];
}

/**
 * A line chart over categories (seasons): y axis with round ticks, one polyline and dots per
 * series, a legend. Points carry a `<title>` tooltip.
 */
export function CategoryLineChart(props: {
  readonly categories: readonly string[];
  readonly series: readonly LineSeries[];
  readonly yLabel: string;
  readonly testId?: string;
  readonly width?: number;
  readonly height?: number;
}) {
  const { categories, series, yLabel } = props;
  const width = props.width ?? 640;
  const height = props.height ?? 280;
  const m = { top: 16, right: 16, bottom: 56, left: 64 };
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (categories.length === 0 || values.length === 0) return <p class="muted">Nothing to plot.</p>;
  const [lo, hi] = extent(values);
  const yTicks = ticks(lo, hi);
  const digits = decimalsFor((yTicks[1] ?? hi) - (yTicks[0] ?? lo));
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const x = (i: number) => m.left + (categories.length === 1 ? plotW / 2 : (i / (categories.length - 1)) * plotW);
  const y = (v: number) => m.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const every = Math.max(1, Math.ceil(categories.length / 12));
  return (
    <figure class="chart" data-testid={props.testId}>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={yLabel}>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={m.left} x2={width - m.right} y1={y(t)} y2={y(t)} class="grid" />
            <text x={m.left - 8} y={y(t)} class="tick" text-anchor="end" dominant-baseline="middle">
              {t.toFixed(digits)}
            </text>
          </g>
        ))}
        {categories.map((c, i) =>
          i % every === 0 || i === categories.length - 1 ? (
            <text key={c} x={x(i)} y={height - m.bottom + 18} class="tick" text-anchor="middle">
              {c}
            </text>
          ) : null,
        )}
        <text x={14} y={m.top + plotH / 2} class="axis-label" transform={`rotate(-90 14 ${m.top + plotH / 2})`} text-anchor="middle">
          {yLabel}
        </text>
        {series.map((s, si) => {
          const color = s.color ?? PALETTE[si % PALETTE.length];
          const pts = s.values.map((v, i) => (v === null ? null : ([x(i), y(v)] as const)));
          const segments: string[] = [];
          let current: string[] = [];
          for (const p of pts) {
            if (p) current.push(`${p[0].toFixed(1)},${p[1].toFixed(1)}`);
            else if (current.length) (segments.push(current.join(' ')), (current = []));
          }
          if (current.length) segments.push(current.join(' '));
          return (
            <g key={s.name} class="series">
              {segments.map((d) => (
                <polyline key={d} points={d} fill="none" stroke={color} stroke-width={2} stroke-dasharray={s.dashed ? '5 4' : undefined} />
              ))}
              {pts.map((p, i) =>
                p ? (
                  <circle key={i} cx={p[0]} cy={p[1]} r={3.5} fill={color}>
                    <title>{`${s.name} · ${categories[i]}: ${num(s.values[i])}`}</title>
                  </circle>
                ) : null,
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {series.map((s, si) => (
          <span key={s.name}>
            <i
              style={s.dashed ? { borderTopColor: s.color ?? PALETTE[si % PALETTE.length] } : { background: s.color ?? PALETTE[si % PALETTE.length] }}
              class={s.dashed ? 'dashed' : ''}
            />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/**
 * A reliability diagram: mean forecast (x) against observed rate (y) per bin, the diagonal
 * of perfect calibration, dot area proportional to the bin's count, and the counts as bars
 * beneath.
 */
export function CalibrationPlot(props: { readonly bins: readonly CalibrationBinView[]; readonly size?: number }) {
  const size = props.size ?? 340;
  const m = { top: 12, right: 12, bottom: 44, left: 52 };
  const histH = 48;
  const plot = size - m.left - m.right;
  const height = m.top + plot + 12 + histH + m.bottom;
  const x = (p: number) => m.left + p * plot;
  const y = (p: number) => m.top + plot - p * plot;
  const filled = props.bins.filter((b) => b.count > 0 && b.meanProbability !== null && b.observedRate !== null);
  const maxCount = Math.max(1, ...props.bins.map((b) => b.count));
  const histTop = m.top + plot + 12;
  const grid = [0, 0.2, 0.4, 0.6, 0.8, 1];
  return (
    <figure class="chart" data-testid="calibration-plot">
      <svg viewBox={`0 0 ${size} ${height}`} width={size} height={height} role="img" aria-label="calibration plot">
        {grid.map((g) => (
          <g key={g}>
            <line x1={x(g)} x2={x(g)} y1={m.top} y2={m.top + plot} class="grid" />
            <line x1={m.left} x2={m.left + plot} y1={y(g)} y2={y(g)} class="grid" />
            <text x={m.left - 8} y={y(g)} class="tick" text-anchor="end" dominant-baseline="middle">
              {g.toFixed(1)}
            </text>
            <text x={x(g)} y={histTop + histH + 16} class="tick" text-anchor="middle">
              {g.toFixed(1)}
            </text>
          </g>
        ))}
        <rect x={m.left} y={m.top} width={plot} height={plot} class="frame" />
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} class="diagonal" />
        <polyline
          points={filled.map((b) => `${x(b.meanProbability!).toFixed(1)},${y(b.observedRate!).toFixed(1)}`).join(' ')}
          fill="none"
          stroke={PALETTE[0]}
          stroke-width={2}
        />
        {filled.map((b) => (
          <circle
            key={b.lower}
            cx={x(b.meanProbability!)}
            cy={y(b.observedRate!)}
            r={3 + 7 * Math.sqrt(b.count / maxCount)}
            fill={PALETTE[0]}
            fill-opacity={0.75}
            class="bin"
          >
            <title>{`${num(b.lower, 1)}–${num(b.upper, 1)}: ${b.count} games, forecast ${num(b.meanProbability, 3)}, observed ${num(b.observedRate, 3)}`}</title>
          </circle>
        ))}
        {props.bins.map((b) => {
          const h = (b.count / maxCount) * histH;
          return (
            <rect key={`h${b.lower}`} x={x(b.lower) + 1} width={Math.max(0, x(b.upper) - x(b.lower) - 2)} y={histTop + histH - h} height={h} class="bar">
              <title>{`${num(b.lower, 1)}–${num(b.upper, 1)}: ${b.count}`}</title>
            </rect>
          );
        })}
        <text x={m.left + plot / 2} y={height - 8} class="axis-label" text-anchor="middle">
          forecast probability
        </text>
        <text x={14} y={m.top + plot / 2} class="axis-label" transform={`rotate(-90 14 ${m.top + plot / 2})`} text-anchor="middle">
          observed rate
        </text>
      </svg>
    </figure>
  );
}

/** A time series: area and line, the first/last dates beneath, min and max beside. */
export function Sparkline(props: {
  readonly points: readonly { readonly t: string; readonly v: number }[];
  readonly width?: number;
  readonly height?: number;
  readonly label?: string;
}) {
  const width = props.width ?? 640;
  const height = props.height ?? 140;
  const m = { top: 10, right: 70, bottom: 22, left: 8 };
  const pts = props.points.map((p) => ({ t: Date.parse(p.t), v: p.v }));
  if (pts.length === 0) return <p class="muted">No values.</p>;
  const [lo, hi] = extent(pts.map((p) => p.v), 0.05);
  const t0 = pts[0]!.t;
  const t1 = pts[pts.length - 1]!.t;
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const x = (t: number) => m.left + (t1 === t0 ? plotW / 2 : ((t - t0) / (t1 - t0)) * plotW);
  const y = (v: number) => m.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const line = pts.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const area = `${x(t0).toFixed(1)},${m.top + plotH} ${line} ${x(t1).toFixed(1)},${m.top + plotH}`;
  const values = pts.map((p) => p.v);
  const max = Math.max(...values);
  const min = Math.min(...values);
  const last = pts[pts.length - 1]!;
  return (
    <figure class="chart sparkline" data-testid="sparkline">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={props.label ?? 'values over time'}>
        <polygon points={area} class="area" />
        <polyline points={line} fill="none" stroke={PALETTE[0]} stroke-width={1.5} />
        <circle cx={x(last.t)} cy={y(last.v)} r={3} fill={PALETTE[0]} />
        <text x={width - m.right + 6} y={y(max)} class="tick" dominant-baseline="middle">
          max {formatValue(max)}
        </text>
        <text x={width - m.right + 6} y={y(min)} class="tick" dominant-baseline="middle">
          min {formatValue(min)}
        </text>
        <text x={m.left} y={height - 6} class="tick">
          {when(props.points[0]!.t, true)}
        </text>
        <text x={width - m.right} y={height - 6} class="tick" text-anchor="end">
          {when(props.points[props.points.length - 1]!.t, true)}
        </text>
      </svg>
    </figure>
  );
}

function formatValue(v: number): string {
  return Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3);
}
