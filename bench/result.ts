/** How a row's ratio is judged against its target. */
export type TargetOp = '>=' | '<=' | '<';

/** One line of the results table (and of the JSON file). */
export interface BenchRow {
  readonly scenario: string;
  /** `postgres`, `pglite`, `file` (no database) or `pglite/postgres` (the engine ratio). */
  readonly engine: string;
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** What the row is compared with, e.g. `psql \copy 12.1 s (82.6k rows/s)`. */
  readonly reference: string;
  readonly referenceSeconds: number | null;
  /** Measured ÷ reference, in the sense the target states (rates or times). */
  readonly ratio: number;
  readonly targetOp: TargetOp;
  readonly targetValue: number;
  /** Human form of the target, e.g. `≥ 0.8× rate`. */
  readonly target: string;
  readonly pass: boolean;
  /** Extra facts (write path used, peak RSS in MiB, …). */
  readonly note?: string;
}

export function meets(ratio: number, op: TargetOp, value: number): boolean {
  if (!Number.isFinite(ratio)) return false;
  return op === '>=' ? ratio >= value : op === '<=' ? ratio <= value : ratio < value;
}

/** Short human number: 81234 → `81.2k`, 1234567 → `1.23M`. */
export function human(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toPrecision(3)}k`;
  return Number.isInteger(n) || abs >= 100 ? n.toFixed(0) : n.toPrecision(3);
}

const OP_TEXT: Record<TargetOp, string> = { '>=': '≥', '<=': '≤', '<': '<' };

interface Measured {
  readonly scenario: string;
  readonly engine: string;
  readonly rows: number;
  readonly seconds: number;
  readonly note?: string;
}

/** A throughput compared with a reference's throughput on the same rows: ratio = rate ÷ reference rate. */
export function rateRow(
  m: Measured,
  reference: { readonly name: string; readonly rows: number; readonly seconds: number },
  minRatio: number,
): BenchRow {
  const rate = m.rows / m.seconds;
  const refRate = reference.rows / reference.seconds;
  const ratio = rate / refRate;
  return {
    ...m,
    rowsPerSecond: rate,
    reference: `${reference.name} ${reference.seconds.toFixed(2)} s (${human(refRate)} rows/s)`,
    referenceSeconds: reference.seconds,
    ratio,
    targetOp: '>=',
    targetValue: minRatio,
    target: `≥ ${minRatio}× rate`,
    pass: meets(ratio, '>=', minRatio),
  };
}

/** A duration compared with a reference's: ratio = seconds ÷ reference seconds. */
export function timeRow(
  m: Measured,
  reference: { readonly name: string; readonly seconds: number },
  maxRatio: number,
): BenchRow {
  const ratio = m.seconds / reference.seconds;
  return {
    ...m,
    rowsPerSecond: m.rows / m.seconds,
    reference: `${reference.name} ${reference.seconds.toFixed(2)} s`,
    referenceSeconds: reference.seconds,
    ratio,
    targetOp: '<=',
    targetValue: maxRatio,
    target: `≤ ${maxRatio}× time`,
    pass: meets(ratio, '<=', maxRatio),
  };
}

/** A measured quantity against an absolute bound: ratio = value ÷ bound. */
export function absoluteRow(
  m: Measured,
  value: number,
  bound: { readonly op: TargetOp; readonly value: number; readonly text: string },
): BenchRow {
  const ratio = value / bound.value;
  return {
    ...m,
    rowsPerSecond: m.rows / m.seconds,
    reference: bound.text,
    referenceSeconds: null,
    ratio,
    targetOp: bound.op,
    targetValue: 1,
    target: `${OP_TEXT[bound.op]} ${bound.text}`,
    pass: meets(ratio, bound.op, 1),
  };
}
