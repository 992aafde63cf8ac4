import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { ingestFile, ingestValues } from '../../src/features/ingest.js';
import { MAX_METADATA_BYTES, parseFiniteNumber, parseInstant, validateIngestRecord } from '../../src/features/ingest-row.js';
import { registerFeature } from '../../src/features/registry.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { countRows, seedEvents, seedTeams, teamFeature, tempDir, writeFile } from '../support/fixtures.js';

const HEADER = 'feature,entity,timestamp,value,available_at,external_source,external_reference_id\n';

describe('ingest row parsing', () => {
  it('parses instants strictly', () => {
    expect(parseInstant('2020-09-10')).toEqual({ ok: true, iso: '2020-09-10T00:00:00.000Z' });
    expect(parseInstant('2020-09-10T20:20:00-04:00')).toEqual({ ok: true, iso: '2020-09-11T00:20:00.000Z' });
    expect(parseInstant('2020-09-10 18:00')).toEqual({ ok: true, iso: '2020-09-10T18:00:00.000Z' });
    expect(parseInstant('2021-02-30').ok).toBe(false);
    expect(parseInstant('10000-01-01').ok).toBe(false);
    expect(parseInstant('yesterday').ok).toBe(false);
  });
  it('refuses calendar-invalid instants whatever the zone, and sub-millisecond ones', () => {
    for (const bad of ['2021-02-30T12:00:00+01:00', '2021-02-29T00:00:00-05:00', '2020-01-01T24:00+00:00', '2020-04-31T10:00Z', '2021-01-01-05']) {
      expect(parseInstant(bad).ok, bad).toBe(false);
    }
    expect(parseInstant('2024-02-29T23:00:00-05:00')).toEqual({ ok: true, iso: '2024-03-01T04:00:00.000Z' });
    expect(parseInstant('2020-01-01T00:00:00.0001Z')).toEqual({ ok: false, reason: expect.stringMatching(/finer than a millisecond/) });
    expect(parseInstant('2020-01-01T00:00:00.123000Z')).toEqual({ ok: true, iso: '2020-01-01T00:00:00.123Z' });
  });
  it('caps metadata at 64 KiB, naming file, line and size', () => {
    const record = (metadata: string) => ({
      line: 7,
      fields: { feature: 'rating@1', entity: 'KC', timestamp: '2020-01-01', value: '1', metadata },
    });
    const big = JSON.stringify({ blob: 'x'.repeat(MAX_METADATA_BYTES) });
    const refused = validateIngestRecord('big.ndjson', record(big), 'test');
    expect(refused.row).toBeNull();
    expect(refused.problems).toEqual([
      expect.objectContaining({ file: 'big.ndjson', line: 7, column: 'metadata', reason: expect.stringMatching(/^65\d+ bytes, more than the 64 KiB/) }),
    ]);
    expect(refused.problems[0]!.value.length).toBeLessThanOrEqual(100);
    const fits = JSON.stringify({ blob: 'x'.repeat(MAX_METADATA_BYTES - 20) });
    expect(validateIngestRecord('ok.ndjson', record(fits), 'test').problems).toEqual([]);
  });
  it('parses only finite numbers', () => {
    expect(parseFiniteNumber('1.5e3')).toEqual({ ok: true, value: 1500 });
    expect(parseFiniteNumber('-0')).toEqual({ ok: true, value: 0 });
    expect(parseFiniteNumber('1e-400')).toEqual({ ok: false, reason: 'too close to zero (underflows float64)' });
    expect(parseFiniteNumber('0e-400')).toEqual({ ok: true, value: 0 });
    expect(parseFiniteNumber('5e-324')).toEqual({ ok: true, value: 5e-324 });
    for (const bad of ['NaN', 'Infinity', '-Infinity', '1e309', '1e-400', '-2.5e-999', '0x10', '', '1,5']) {
      expect(parseFiniteNumber(bad).ok, bad).toBe(false);
    }
  });
});

describeEachEngine('feature ingestion', (engine) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    dir = tempDir();
    await seedTeams(db, ['KC', 'BUF', 'NE']);
    await seedEvents(db, ['G1', 'G2']);
    await registerFeature(db.db, teamFeature('rating'));
    await registerFeature(db.db, { ...teamFeature('spread'), entity_type: 'event' });
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ingests a CSV file, and re-ingesting it adds nothing', async () => {
    const file = writeFile(
      dir,
      'ok.csv',
      HEADER +
        'rating@1,KC,2020-09-01T00:00:00Z,1600,2020-09-01T01:00:00Z,espn_api,r1\n' +
        'rating@1,buf,2020-09-01T00:00:00Z,1500,2020-09-01T01:00:00Z,espn_api,r2\n' +
        'rating@1,NE-alias,2020-09-01T00:00:00Z,1450,,,\n' +
        'spread@1,G1,2020-09-01T00:00:00Z,-3.5,,kalshi_api,\n',
    );
    const first = await ingestFile(db, file);
    expect(first).toMatchObject({ read: 4, inserted: 4, corrected: 0, unchanged: 0 });
    const again = await ingestFile(db, file);
    expect(again).toMatchObject({ read: 4, inserted: 0, corrected: 0, unchanged: 4 });
    const stored = await db.db
      .selectFrom('features_historical')
      .select(['external_source', 'external_reference_id', 'team_id', 'event_id', 'entity_type'])
      .orderBy('id')
      .execute();
    expect(stored.map((r) => r.external_source)).toEqual(['espn_api', 'espn_api', 'import', 'kalshi_api']);
    expect(stored[3]).toMatchObject({ team_id: null, event_id: 'G1', entity_type: 'event' });
  });

  it('stores a different value for the same key as a correction, never an UPDATE', async () => {
    const values = (v: number) => [{ feature: 'rating@1', entity: 'KC', timestamp: '2020-10-01T00:00:00Z', value: v }];
    expect(await ingestValues(db, 'first', values(1610))).toMatchObject({ inserted: 1, corrected: 0 });
    expect(await ingestValues(db, 'same', values(1610))).toMatchObject({ inserted: 0, unchanged: 1 });
    expect(await ingestValues(db, 'fix', values(1615))).toMatchObject({ inserted: 0, corrected: 1 });
    const rows = await db.db
      .selectFrom('features_historical')
      .select(['feature_value', 'available_at'])
      .where('timestamp', '=', new Date('2020-10-01T00:00:00Z'))
      .orderBy('available_at')
      .execute();
    expect(rows.map((r) => r.feature_value)).toEqual([1610, 1615]);
    expect(rows[1]!.available_at.getTime()).toBeGreaterThan(rows[0]!.available_at.getTime());
  });

  it('ingests NDJSON with metadata', async () => {
    const file = writeFile(
      dir,
      'ok.ndjson',
      '\uFEFF{"feature":"rating@1","entity":"NE","timestamp":"2020-11-01","value":1400,"metadata":{"note":"x"}}\r\n\n' +
        '{"feature":"spread@1","entity":"G2","timestamp":"2020-11-01","value":7}\n',
    );
    expect(await ingestFile(db, file)).toMatchObject({ read: 2, inserted: 2 });
  });

  const badCases: [string, string, RegExp][] = [
    ['unparseable number', 'rating@1,KC,2020-01-01,abc,,,\n', /bad\.csv:3 value "abc": not a number/],
    ['NaN', 'rating@1,KC,2020-01-01,NaN,,,\n', /:3 value "NaN"/],
    ['Infinity', 'rating@1,KC,2020-01-01,1e309,,,\n', /:3 value "1e309": not a finite number/],
    ['unparseable time', 'rating@1,KC,2020-13-45,1,,,\n', /:3 timestamp "2020-13-45"/],
    ['unknown feature', 'nope@1,KC,2020-01-01,1,,,\n', /:3 feature "nope@1": unknown feature/],
    ['unknown entity', 'rating@1,XXX,2020-01-01,1,,,\n', /:3 entity "XXX": no team with this key/],
    ['entity of the wrong kind', 'spread@1,KC,2020-01-01,1,,,\n', /:3 entity "KC": no event with this key/],
    ['missing value', 'rating@1,KC,2020-01-01,,,,\n', /:3 value "": required value is missing/],
    ['ragged row', 'rating@1,KC\n', /:3 \(row\) "rating@1,KC": has 2 fields/],
  ];
  for (const [name, badLine, message] of badCases) {
    it(`rejects the whole file on ${name}, naming file/line/column/value, and writes nothing`, async () => {
      const before = await countRows(db, 'features_historical');
      const file = writeFile(dir, 'bad.csv', HEADER + 'rating@1,BUF,2021-01-01,1,,,\n' + badLine);
      const error = await ingestFile(db, file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toMatch(message);
      expect(await countRows(db, 'features_historical')).toBe(before);
    });
  }

  it('rejects a file missing a required column, and reports at most 20 problems with the total', async () => {
    const before = await countRows(db, 'features_historical');
    const noValue = writeFile(dir, 'cols.csv', 'feature,entity,timestamp\nrating@1,KC,2020-01-01\n');
    await expect(ingestFile(db, noValue)).rejects.toThrow(/cols\.csv:1 value "": required column is missing/);
    const many = writeFile(dir, 'many.csv', HEADER + 'rating@1,KC,2020-01-01,x,,,\n'.repeat(25));
    const error = (await ingestFile(db, many).catch((e: unknown) => e)) as InvalidInputError;
    expect(error.problems).toHaveLength(20);
    expect(error.total).toBe(25);
    expect(error.message).toMatch(/and 5 more/);
    expect(await countRows(db, 'features_historical')).toBe(before);
  });

  it('rejects conflicting values for one key within a file', async () => {
    const file = writeFile(
      dir,
      'conflict.csv',
      HEADER + 'rating@1,KC,2022-01-01,1,,,\nrating@1,KC,2022-01-01,2,,,\n',
    );
    await expect(ingestFile(db, file)).rejects.toThrow(/conflicting values .* lines 2, 3/);
  });

  it('ingests 100k rows through the bulk path', async () => {
    const lines: string[] = [HEADER];
    const teams = ['KC', 'BUF', 'NE'];
    for (let i = 0; i < 100_000; i++) {
      const t = new Date(Date.UTC(2000, 0, 1) + i * 3_600_000).toISOString();
      lines.push(`rating@1,${teams[i % 3]},${t},${1500 + (i % 97)},${t},bulk,\n`);
    }
    const file = writeFile(dir, 'bulk.csv', lines.join(''));
    const before = await countRows(db, 'features_historical');
    const report = await ingestFile(db, file);
    expect(report).toMatchObject({ read: 100_000, inserted: 100_000, unchanged: 0 });
    expect(await countRows(db, 'features_historical')).toBe(before + 100_000);
  }, 180_000);
});
