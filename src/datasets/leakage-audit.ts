/** Hour buckets for staleness quantiles: exact to the hour, bounded memory per column. */
const HOUR = 3_600_000;
const MAX_HOURS = 24 * 366 * 20;

/** What the audit says about one feature column. */
export interface ColumnAudit {
  readonly column: string;
  readonly rows: number;
  readonly nulls: number;
  readonly null_fraction: number;
  /** max(feature timestamp − label time) over non-null values, in ms: must be ≤ 0. */
  readonly max_lead_ms: number | null;
  /** max(available_at − label time) in ms (known-at mode requires ≤ 0). */
  readonly max_knowledge_lead_ms: number | null;
  /** max(available_at) of any value used (≤ the knowledge cutoff). */
  readonly max_available_at: string | null;
  /** Age of the values (label time − feature timestamp), to the hour. */
  readonly staleness_hours: { readonly median: number | null; readonly p95: number | null; readonly max: number | null };
}

/** The whole audit stored with a dataset. */
export interface DatasetAudit {
  readonly rows: number;
  readonly columns: readonly ColumnAudit[];
}

/** Accumulates one column's audit as rows stream through the builder. */
export class ColumnAuditor {
  #rows = 0;
  #nulls = 0;
  #maxLead = -Infinity;
  #maxKnowledgeLead = -Infinity;
  #maxAvailable = -Infinity;
  #maxAge = -Infinity;
  readonly #hours = new Uint32Array(MAX_HOURS + 1);

  constructor(readonly column: string) {}

  /** Records one row: null, or a value with its timestamp and available_at (epoch ms). */
  add(labelTime: number, value: { timestamp: number; availableAt: number } | null): void {
    this.#rows += 1;
    if (!value) {
      this.#nulls += 1;
      return;
    }
    const age = labelTime - value.timestamp;
    this.#maxLead = Math.max(this.#maxLead, -age);
    this.#maxKnowledgeLead = Math.max(this.#maxKnowledgeLead, value.availableAt - labelTime);
    this.#maxAvailable = Math.max(this.#maxAvailable, value.availableAt);
    this.#maxAge = Math.max(this.#maxAge, age);
    this.#hours[Math.min(MAX_HOURS, Math.max(0, Math.floor(age / HOUR)))]! += 1;
  }

  /** The largest lead of a value over its label (ms), or null when all were null. */
  get maxLeadMs(): number | null {
    return this.#maxLead === -Infinity ? null : this.#maxLead;
  }

  get maxKnowledgeLeadMs(): number | null {
    return this.#maxKnowledgeLead === -Infinity ? null : this.#maxKnowledgeLead;
  }

  #quantile(q: number): number | null {
    const present = this.#rows - this.#nulls;
    if (present === 0) return null;
    const rank = Math.ceil(q * present);
    let seen = 0;
    for (let h = 0; h < this.#hours.length; h++) {
      seen += this.#hours[h]!;
      if (seen >= rank) return h;
    }
    return MAX_HOURS;
  }

  result(): ColumnAudit {
    return {
      column: this.column,
      rows: this.#rows,
      nulls: this.#nulls,
      null_fraction: this.#rows ? this.#nulls / this.#rows : 0,
      max_lead_ms: this.maxLeadMs,
      max_knowledge_lead_ms: this.maxKnowledgeLeadMs,
      max_available_at: this.#maxAvailable === -Infinity ? null : new Date(this.#maxAvailable).toISOString(),
      staleness_hours: {
        median: this.#quantile(0.5),
        p95: this.#quantile(0.95),
        max: this.#maxAge === -Infinity ? null : Math.floor(this.#maxAge / HOUR),
      },
    };
  }
}
