import { metricDirection } from '../../src/ui/metric-direction.js';

export { metricDirection };

/** A metric value with `digits` decimals; "—" for none. */
export function num(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A metric value: integers (counts) as they are, anything else with 4 decimals. */
export function metric(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isInteger(value) ? String(value) : num(value);
}

/** A signed difference ("+0.0123", "−0.0040"). */
export function signed(value: number, digits = 4): string {
  const text = Math.abs(value).toFixed(digits);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** A count with thousands separators. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US');
}

/** A fraction as a percentage. */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)}%`;
}

/** An ISO instant as "2024-01-21 23:30" (UTC), or its date only. */
export function when(iso: string | null | undefined, dateOnly = false): string {
  if (!iso) return '—';
  const text = iso.replace('T', ' ').slice(0, dateOnly ? 10 : 16);
  return dateOnly ? text : `${text} UTC`;
}

/** A duration in seconds as "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A signed lead in milliseconds in a readable unit ("−1 ms", "+2.5 s", "−10.0 h", "0"). */
export function lead(ms: number | null): string {
  if (ms === null) return '—';
  const abs = Math.abs(ms);
  if (abs === 0) return '0';
  if (abs < 1000) return `${signed(ms, 0)} ms`;
  if (abs < 60_000) return `${signed(ms / 1000, 1)} s`;
  if (abs < 3_600_000) return `${signed(ms / 60_000, 1)} min`;
  return `${signed(ms / 3_600_000, 1)} h`;
}

/** A JSON value on one line (objects) or as is (scalars). */
export function scalar(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The best baseline's value of `metric` (lowest loss), with its name. */
export function bestBaseline(
  baselines: Readonly<Record<string, Readonly<Record<string, number>>>>,
  metric: string,
): { name: string; value: number } | undefined {
  let best: { name: string; value: number } | undefined;
  for (const [name, set] of Object.entries(baselines)) {
    const v = set[metric];
    if (v === undefined) continue;
    const better = metricDirection(metric) === 'higher' ? !best || v > best.value : !best || v < best.value;
    if (better) best = { name, value: v };
  }
  return best;
}

/** Nested JSON as `path → value` rows (objects flattened with dots, arrays kept whole). */
export function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix ? [[prefix, value]] : [];
  const entries = Object.entries(value);
  if (entries.length === 0) return prefix ? [[prefix, {}]] : [];
  return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}
