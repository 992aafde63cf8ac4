import fs from 'node:fs';
import { DuckDBInstance, type DuckDBMaterializedResult } from '@duckdb/node-api';
import {
  Float64,
  RecordBatchFileWriter,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import type { BenchData } from '../generate.js';
import { datasetColumnNames, type DatasetColumnSpec } from '../dataset-shape.js';

/** What the DuckDB reference produced: the same rows and columns as the dataset file. */
export interface AsofResult {
  readonly rowCount: number;
  readonly eventId: string[];
  readonly labelTime: Float64Array;
  /** Feature columns in dataset order; NaN where the join found no value. */
  readonly features: { readonly name: string; readonly values: Float64Array }[];
}

/** An in-memory DuckDB holding the generated feature rows and label games. */
export interface DuckDbReference {
  /** Runs the point-in-time join and writes the result as an Arrow IPC file at `outFile`. */
  asofToArrow(outFile: string): Promise<AsofResult>;
  close(): void;
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The reference's query, the dataset's rules in DuckDB: label time = kickoff − 1 h; for each
 * label and feature column the latest value of that team with timestamp ≤ label time
 * (`ASOF LEFT JOIN … ON q.t >= f.ts`, over all rows: the generated history has no
 * corrections); one wide row per label in (label_time, event_id) order.
 */
function asofSql(columns: readonly DatasetColumnSpec[]): string {
  const values = columns.map((c) => `(${sqlText(c.name)}, ${sqlText(c.feature)}, ${sqlText(c.side)})`).join(', ');
  const pivots = columns.map((c) => `max(value) filter (where col = ${sqlText(c.name)}) as "${c.name}"`).join(', ');
  return `
    with cols(col, feature, side) as (values ${values}),
    lookups as (
      select g.event_id, g.t, c.col, c.feature, case c.side when 'home' then g.home else g.away end as entity
        from games g cross join cols c),
    joined as (
      select q.event_id, q.col, f.value
        from lookups q asof left join fh f on q.feature = f.feature and q.entity = f.entity and q.t >= f.ts),
    wide as (select event_id, ${pivots} from joined group by event_id)
    select g.event_id, epoch_ms(g.t)::double as label_time, g.season, g.home as home_team, g.away as away_team,
           (case when g.home_score > g.away_score then 1.0 else 0.0 end)::double as target,
           ${columns.map((c) => `w."${c.name}"`).join(', ')}
      from games g join wide w using (event_id)
     order by g.t, g.event_id`;
}

/** Loads the generated CSVs into an in-memory DuckDB (untimed setup of the reference). */
export async function createDuckDbReference(data: BenchData): Promise<DuckDbReference> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`
    create table fh as
    select feature, entity, "timestamp"::timestamp as ts, value, available_at::timestamp as available_at
      from read_csv(${sqlText(data.featuresCsv)}, header = true,
        columns = {'feature': 'VARCHAR', 'entity': 'VARCHAR', 'timestamp': 'VARCHAR', 'value': 'DOUBLE', 'available_at': 'VARCHAR'})`);
  await connection.run(`
    create table games as
    select event_id, season, kickoff::timestamp - interval 1 hour as t, home, away, home_score, away_score
      from read_csv(${sqlText(data.gamesCsv)}, header = true,
        columns = {'event_id': 'VARCHAR', 'season': 'INTEGER', 'kickoff': 'VARCHAR', 'home': 'VARCHAR',
                   'away': 'VARCHAR', 'home_score': 'INTEGER', 'away_score': 'INTEGER'})`);
  const columns = datasetColumnNames(data);
  return {
    async asofToArrow(outFile) {
      const result = await connection.run(asofSql(columns));
      const out = toArrow(result, columns);
      fs.writeFileSync(outFile, RecordBatchFileWriter.writeAll(out.table).toUint8Array(true));
      return {
        rowCount: out.table.numRows,
        eventId: out.eventId,
        labelTime: out.labelTime,
        features: columns.map((c, i) => ({ name: c.name, values: out.features[i]! })),
      };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A nullable Float64 Arrow vector from values with NaN for null. */
function float64Vector(values: Float64Array): Vector<Float64> {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return makeVector(
    makeData({ type: new Float64(), length: values.length, nullCount: nulls, nullBitmap: nulls ? bitmap : null, data: values }),
  );
}

/** Copies a DuckDB result (the {@link asofSql} columns) into Arrow columns. */
function toArrow(result: DuckDBMaterializedResult, columns: readonly DatasetColumnSpec[]) {
  const featureCount = columns.length;
  const n = Number(result.rowCount);
  const eventId: string[] = new Array(n);
  const home: (string | null)[] = new Array(n);
  const away: (string | null)[] = new Array(n);
  const labelTime = new Float64Array(n);
  const season = new Int32Array(n);
  const target = new Float64Array(n);
  const features = Array.from({ length: featureCount }, () => new Float64Array(n));
  let row = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const size = chunk.rowCount;
    const vectors = Array.from({ length: 6 + featureCount }, (_, i) => chunk.getColumnVector(i));
    for (let r = 0; r < size; r++) {
      eventId[row + r] = vectors[0]!.getItem(r) as string;
      labelTime[row + r] = vectors[1]!.getItem(r) as number;
      season[row + r] = vectors[2]!.getItem(r) as number;
      home[row + r] = vectors[3]!.getItem(r) as string | null;
      away[row + r] = vectors[4]!.getItem(r) as string | null;
      target[row + r] = vectors[5]!.getItem(r) as number;
    }
    for (let f = 0; f < featureCount; f++) {
      const vector = vectors[6 + f]!;
      const out = features[f]!;
      for (let r = 0; r < size; r++) out[row + r] = (vector.getItem(r) as number | null) ?? Number.NaN;
    }
    row += size;
  }
  const table = new Table({
    event_id: vectorFromArray(eventId, new Utf8()),
    label_time: vectorFromArray(Array.from(labelTime), new TimestampMillisecond('UTC')),
    season: makeVector(season),
    home_team: vectorFromArray(home, new Utf8()),
    away_team: vectorFromArray(away, new Utf8()),
    target: makeVector(target),
    ...Object.fromEntries(features.map((values, f) => [columns[f]!.name, float64Vector(values)])),
  });
  return { table, eventId, labelTime, features };
}
