import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/datasets/dataset-builder.js';
import { defineDataset, specJson } from '../../src/datasets/dataset-spec.js';
import { InvalidDatasetSpecError } from '../../src/datasets/errors.js';
import { FIVETHIRTYEIGHT_COLUMNS, parseFiveThirtyEightCsv, readFiveThirtyEightCsv } from '../../src/entities/nfl/fivethirtyeight-csv.js';
import { SPREADSPOKE_COLUMNS, parseSpreadspokeCsv, readSpreadspokeCsv } from '../../src/entities/nfl/spreadspoke-csv.js';
import { InvalidInputError, PrecogError } from '../../src/errors.js';
import { ingestFile } from '../../src/features/ingest.js';
import { importNfl538 } from '../../src/features/sources/nfl-538-import.js';
import { parseHyperparameters } from '../../src/training/models/hyperparameters.js';
import { baseSpec, ingestBeforeAndAfter, seedLeague } from '../datasets/dataset-fixture.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { tempDir } from '../support/fixtures.js';
import { byteDamage, damage } from './byte-damage.js';
import {
  expectedRows,
  ingestFileModel,
  renderIngestFile,
  verdictOf,
  type ExpectedRow,
  type IngestFileModel,
} from './fuzz-ingest-inputs.js';
import { anyHyperparameters, edgySpec, mutatedJson, renderTable, tableModel, validHyperparameters } from './fuzz-text-inputs.js';
import { caseCount } from '../support/test-tier.js';
import { count, datasetViolations, featuresWatermark } from './invariants.js';

/**
 * Bad input never corrupts anything (issue 12 §4). fast-check generates ingest files (CSV
 * and NDJSON: SQL metacharacters in every text field, quotes and newlines, odd numbers and
 * dates, BOMs, CRLF, huge fields, invalid UTF-8, random bytes), NFL CSV tables, dataset
 * specs and hyperparameters. Each is imported correctly — compared with what the file
 * says — or rejected with a PrecogError, leaving the database exactly as it was; any other
 * exception fails the property.
 */

const SEED = Number(process.env['PRECOG_FUZZ_SEED'] ?? 20_251_2);
/** A property's cases: `full` in `npm run test:stress`, half of it (rounded up) in `npm test`. */
const runs = (full: number) => ({ numRuns: caseCount(Math.ceil(full / 2), full), seed: SEED });
/** Cases run per input kind, and how many of them were imported (the rest were rejected). */
const cases: Record<string, { n: number; accepted: number }> = {};
function tally(name: string, accepted: boolean): void {
  const c = (cases[name] ??= { n: 0, accepted: 0 });
  c.n += 1;
  if (accepted) c.accepted += 1;
}
const DAY = 86_400_000;
const BAD_TEXT = /[\u0000\uFFFD]|\p{Cs}/u;

/** The error, when it is one Precog raises on purpose; anything else fails the property. */
function precogError(error: unknown): PrecogError {
  if (error instanceof PrecogError) return error;
  const e = error as Error;
  throw new Error(`not a PrecogError: ${e?.constructor?.name ?? typeof error}: ${e?.message ?? String(error)}`, { cause: error });
}

async function outcome<T>(fn: () => Promise<T> | T): Promise<{ ok: true; value: T } | { ok: false; error: PrecogError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error: precogError(error) };
  }
}

afterAll(() => {
  const total = Object.values(cases).reduce((a, b) => a + b.n, 0);
  console.log(
    `fuzz: ${total} cases (seed ${SEED})\n${Object.entries(cases)
      .map(([k, v]) => `  ${k.padEnd(40)} ${String(v.n).padStart(5)} cases, ${String(v.accepted).padStart(5)} accepted`)
      .join('\n')}`,
  );
});

describeEachEngine('fuzzed input never corrupts the store', (engine) => {
  let db: TestDatabase;
  let dir: string;
  let teamKeys: Map<string, string>;
  let caseNo = 0;

  /**
   * Everything an ingest or build could touch. features_historical is append-only (a trigger,
   * tested in test/db/feature-store-constraints.test.ts), so a case can only have changed it
   * by adding rows, which its row count and last id show — without reading the whole table,
   * which grows with every accepted case.
   */
  const snapshot = async () => ({
    features: await featuresWatermark(db),
    definitions: await count(db, 'feature_definitions'),
    teams: await count(db, 'teams'),
    events: await count(db, 'events'),
    datasets: await count(db, 'training_datasets'),
  });

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    dir = tempDir('precog-fuzz-');
    const { teams } = await seedLeague(db);
    teamKeys = new Map([...teams].map(([code, id]) => [code, String(id)]));
    await ingestBeforeAndAfter(db);
  });
  afterAll(async () => {
    await db?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Stored rows whose event time lies in the case's 16-day window. */
  async function rowsInWindow(base: number) {
    const { rows } = await sql<{
      feature: string;
      entity_key: string;
      timestamp: Date;
      available_at: Date;
      feature_value: number;
      external_source: string;
      external_reference_id: string | null;
      metadata: unknown;
    }>`select d.feature_name || '@' || d.feature_version as feature, h.entity_key, h."timestamp", h.available_at,
              h.feature_value, h.external_source, h.external_reference_id, h.metadata
         from features_historical h join feature_definitions d using (feature_id)
        where h."timestamp" >= ${new Date(base)} and h."timestamp" < ${new Date(base + 16 * DAY)}`.execute(db.db);
    return rows;
  }

  function expectStored(stored: Awaited<ReturnType<typeof rowsInWindow>>, expected: readonly ExpectedRow[]) {
    expect(stored).toHaveLength(expected.length);
    for (const e of expected) {
      const key = teamKeys.get(e.entity) ?? e.entity;
      const row = stored.find((r) => r.feature === e.feature && r.entity_key === key && r.timestamp.getTime() === e.timestamp);
      expect(row, `no stored row for ${JSON.stringify(e)}`).toBeDefined();
      expect(row!.feature_value).toBe(e.value);
      if (e.availableAt !== undefined) expect(row!.available_at.getTime()).toBe(e.availableAt);
      expect(row!.external_source).toBe(e.source);
      expect(row!.external_reference_id).toBe(e.reference);
      expect(row!.metadata).toEqual(e.metadata);
    }
  }

  /** Ingests `content` as a file; checks the outcome against the model's verdict, if any. */
  async function ingestCase(name: string, ext: string, content: string | Uint8Array, model?: { m: IngestFileModel; base: number }) {
    const file = path.join(dir, `case-${caseNo++}.${ext}`);
    fs.writeFileSync(file, content);
    const before = await snapshot();
    const result = await outcome(() => ingestFile(db, file));
    const verdict = model ? verdictOf(model.m, model.base) : 'either';
    fs.rmSync(file);
    tally(`ingest ${name} [${engine}]`, result.ok);
    if (!result.ok) {
      expect(await snapshot(), `rejected, but the database changed: ${result.error.message}`).toEqual(before);
      expect(verdict, `a valid file was rejected: ${result.error.message}`).not.toBe('yes');
      return;
    }
    expect(verdict, 'an invalid file was imported').not.toBe('no');
    const report = result.value;
    const added = (await count(db, 'features_historical')) - before.features.rows;
    expect(added).toBe(report.inserted + report.corrected);
    if (model) {
      expect(report.inserted).toBe(model.m.records.length);
      expectStored(await rowsInWindow(model.base), expectedRows(model.m, model.base));
    } else {
      const fresh = await db.db.selectFrom('features_historical').selectAll().where('id', '>', before.features.lastId).execute();
      for (const r of fresh) {
        expect(`${r.external_source}${r.external_reference_id ?? ''}${JSON.stringify(r.metadata)}`).not.toMatch(BAD_TEXT);
      }
    }
  }

  const nextBase = () => Date.UTC(2000, 0, 1) + caseNo * 16 * DAY;

  // Found two bugs, fixed in a302e03 (see the regression tests at the end of this block).
  it('CSV files: imported exactly as written, or rejected with nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(ingestFileModel('csv'), async (m) => {
        const base = nextBase();
        await ingestCase('csv (modelled)', 'csv', renderIngestFile(m, base), { m, base });
      }),
      runs(120),
    );
  });

  it('NDJSON files: imported exactly as written, or rejected with nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(ingestFileModel('ndjson'), async (m) => {
        const base = nextBase();
        await ingestCase('ndjson (modelled)', 'ndjson', renderIngestFile(m, base), { m, base });
      }),
      runs(120),
    );
  });

  it('damaged bytes and random bytes: imported or rejected, never a crash or a partial write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('csv', 'ndjson' as const), fc.nat(), byteDamage, async (format, seed, d) => {
        const m = fc.sample(ingestFileModel(format === 'csv' ? 'csv' : 'ndjson'), { seed, numRuns: 1 })[0]!;
        const bytes = new TextEncoder().encode(renderIngestFile(m, nextBase()));
        await ingestCase(`${format} (damaged bytes)`, format, damage(bytes, d));
      }),
      runs(60),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('csv', 'ndjson'),
        fc.boolean(),
        fc.uint8Array({ maxLength: 3000 }),
        async (format, withHeader, noise) => {
          const header = withHeader ? new TextEncoder().encode(format === 'csv' ? 'feature,entity,timestamp,value\n' : '{"feature":"rating@1"}\n') : new Uint8Array();
          const content = new Uint8Array(header.length + noise.length);
          content.set(header, 0);
          content.set(noise, header.length);
          await ingestCase(`${format} (random bytes)`, format, content);
        },
      ),
      runs(40),
    );
  });

  it('the NFL 538 importer: imported or rejected with the database unchanged', async () => {
    const template = [
      ['2020-09-13', '2020', '0', '0', 'NE', 'MIA', '1567.2', '1415.0', '0.77', '21', '11', '1'],
      ['2021-02-07', '2020', '1', '1', 'TB', 'KC', '1703.3', '1741.1', '0.4458', '', '', ''],
    ];
    await fc.assert(
      fc.asyncProperty(tableModel(template), async (t) => {
        const file = path.join(dir, `nfl-${caseNo++}.csv`);
        fs.writeFileSync(file, renderTable(FIVETHIRTYEIGHT_COLUMNS, t));
        const before = await snapshot();
        const result = await outcome(() => importNfl538(db, file));
        tally(`import nfl-538 [${engine}]`, result.ok);
        if (!result.ok) expect(await snapshot(), result.error.message).toEqual(before);
        else expect(result.value.games).toBe(t.rows.length);
        // Template rows may repeat, and a game listed twice is rejected on purpose.
        const distinct = new Set(t.rows.map((r) => r.join(','))).size === t.rows.length;
        if (t.pristine && distinct) expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
      }),
      runs(25),
    );
  });

  // Found unbounded durations, fixed in a302e03 (regression test: 'rejects a spec whose TTL
  // or label offset overflows the database').
  it('dataset specs built: registered with their file and leakage-free, or rejected with nothing registered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: fc.noBias(edgySpec) }, { weight: 1, arbitrary: mutatedJson(baseSpec) }), async (spec) => {
        const input = spec && typeof spec === 'object' && !Array.isArray(spec) ? { ...spec, version: `f${caseNo}` } : spec;
        caseNo += 1;
        const before = await snapshot();
        const result = await outcome(() => buildDataset(db, input, dir));
        tally(`dataset build [${engine}]`, result.ok);
        if (!result.ok) expect(await snapshot(), result.error.message).toEqual(before);
        else {
          const { dataset } = result.value;
          expect(await count(db, 'training_datasets')).toBe(before.datasets + 1);
          const known = (input as { mode?: string }).mode !== 'event';
          for (const c of dataset.metadata.audit.columns) {
            // No value from after its label time; in known-at mode none learned after it either.
            if (c.max_lead_ms !== null) expect(c.max_lead_ms).toBeLessThanOrEqual(0);
            if (known && c.max_knowledge_lead_ms !== null) expect(c.max_knowledge_lead_ms).toBeLessThanOrEqual(0);
            if (c.max_available_at !== null) expect(Date.parse(c.max_available_at)).toBeLessThanOrEqual(dataset.knowledge_cutoff.getTime());
          }
        }
        expect(await datasetViolations(db)).toEqual([]);
      }),
      runs(40),
    );
  });
  // The three inputs the properties above found, one by one (fixed in a302e03): before,
  // each reached PostgreSQL and failed there with a driver error (or, for the text field,
  // was stored altered).
  it.each([
    ['a time within 9999 that an offset moves into year 10000', 'csv', 'feature,entity,timestamp,value\nrating@1,AAA,9999-12-31T23:30:00-05:00,1\n'],
    ['metadata with a lone-surrogate escape', 'csv', 'feature,entity,timestamp,value,metadata\nrating@1,AAA,1900-01-01,1,"{""a"": ""\\ud800""}"\n'],
    ['a text field with a lone-surrogate escape', 'ndjson', '{"feature":"rating@1","entity":"AAA","timestamp":"1900-01-02","value":1,"external_source":"\\ud800x"}\n'],
  ])('rejects %s as input, changing nothing', async (_name, ext, content) => {
    const file = path.join(dir, `regression-${caseNo++}.${ext}`);
    fs.writeFileSync(file, content);
    const before = await snapshot();
    await expect(ingestFile(db, file)).rejects.toThrow(InvalidInputError);
    expect(await snapshot()).toEqual(before);
  });
});

describe('fuzzed parser input (no database)', () => {
  it('the NFL CSV parsers parse every row or throw a PrecogError', async () => {
    const fte = [
      ['2020-09-10', '2020', '0', '0', 'KC', 'HOU', '1686.6', '1535.8', '0.77', '34', '20', '1'],
      ['2021-02-07', '2020', '1', '1', 'TB', 'KC', '1703.3', '1741.1', '0.4458', '', '', ''],
    ];
    const ss = [
      ['9/13/2020', '2020', '1', 'FALSE', 'Washington Football Team', '27', '17', 'Philadelphia Eagles', 'PHI', '-5.5', '42', 'FedEx Field', 'FALSE', '72', '8', '', ''],
      ['2/7/2021', '2020', 'Superbowl', 'TRUE', 'Tampa Bay Buccaneers', '31', '9', 'Kansas City Chiefs', 'KC', '-3', '56', 'Raymond James Stadium', 'FALSE', '', '', '', 'DOME'],
    ];
    const parsers: {
      name: string;
      columns: readonly string[];
      template: string[][];
      parse: (input: Buffer) => Promise<readonly unknown[]>;
      read: (input: Buffer) => Promise<{ valid: readonly unknown[]; rejected: readonly unknown[] }>;
    }[] = [
      { name: '538', columns: FIVETHIRTYEIGHT_COLUMNS, template: fte, parse: (i) => parseFiveThirtyEightCsv(i), read: (i) => readFiveThirtyEightCsv(i) },
      { name: 'spreadspoke', columns: SPREADSPOKE_COLUMNS, template: ss, parse: (i) => parseSpreadspokeCsv(i), read: (i) => readSpreadspokeCsv(i) },
    ];
    for (const p of parsers) {
      await fc.assert(
        fc.asyncProperty(tableModel(p.template), fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: byteDamage }), async (t, d) => {
          const text = renderTable(p.columns, t);
          const input = d ? Buffer.from(damage(new TextEncoder().encode(text), d)) : Buffer.from(text);
          const strict = await outcome(() => p.parse(input));
          const lenient = await outcome(() => p.read(input));
          tally(`parse ${p.name} csv${d ? ' (damaged bytes)' : ''}`, strict.ok);
          if (strict.ok && !d) expect(strict.value.length).toBe(t.rows.length);
          if (lenient.ok && !d) expect(lenient.value.valid.length + lenient.value.rejected.length).toBe(t.rows.length);
          if (t.pristine && !d) expect(strict.ok, strict.ok ? '' : strict.error.message).toBe(true);
        }),
        runs(300),
      );
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), async (noise, withHeader) => {
          const input = Buffer.concat([Buffer.from(withHeader ? `${p.columns.join(',')}\n` : ''), Buffer.from(noise)]);
          const strict = await outcome(() => p.parse(input));
          await outcome(() => p.read(input));
          tally(`parse ${p.name} random bytes`, strict.ok);
        }),
        runs(150),
      );
    }
  });

  it('dataset specs are validated into a frozen spec or rejected with a PrecogError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(edgySpec, mutatedJson(baseSpec), fc.string({ unit: 'binary' }).map((s) => ({ ...baseSpec, name: s }))), async (input) => {
        const result = await outcome(() => defineDataset(input));
        tally('defineDataset', result.ok);
        if (result.ok) {
          expect(Object.isFrozen(result.value)).toBe(true);
          // Normalizing is idempotent: the stored text defines the same spec again.
          expect(specJson(defineDataset(JSON.parse(specJson(result.value))))).toBe(specJson(result.value));
        }
      }),
      runs(600),
    );
  });

  // Regression (fixed in a302e03): such a spec was accepted and its build died in
  // PostgreSQL ("interval out of range").
  it('rejects a spec whose TTL or label offset overflows the database', () => {
    expect(() => defineDataset({ ...baseSpec, ttl: '99999999999999w' })).toThrow(InvalidDatasetSpecError);
    expect(() => defineDataset({ ...baseSpec, labels: { ...baseSpec.labels, label_offset: '100000000d' } })).toThrow(InvalidDatasetSpecError);
  });

  it('hyperparameters: valid ones are read exactly, anything else is rejected with a PrecogError', async () => {
    await fc.assert(
      fc.asyncProperty(validHyperparameters, async ({ type, entries, expected }) => {
        tally('parseHyperparameters (valid)', true);
        const hp = parseHyperparameters(type, entries);
        expect(Object.isFrozen(hp)).toBe(true);
        expect(hp).toMatchObject(expected);
      }),
      runs(500),
    );
    await fc.assert(
      fc.asyncProperty(anyHyperparameters, async ({ type, input }) => {
        const result = await outcome(() => parseHyperparameters(type, input));
        tally('parseHyperparameters (any)', result.ok);
        if (result.ok) {
          for (const v of Object.values(result.value)) {
            for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'number') expect(Number.isFinite(x)).toBe(true);
          }
        }
      }),
      runs(1000),
    );
  });
});
