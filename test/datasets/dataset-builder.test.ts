import fs from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDataset, rebuildRegistered } from '../../src/datasets/dataset-builder.js';
import { getDataset, openRegisteredDataset } from '../../src/datasets/dataset-registry.js';
import { verifyDataset } from '../../src/datasets/dataset-verify.js';
import { DatasetImmutableError, InvalidDatasetSpecError } from '../../src/datasets/errors.js';
import { ingestValues } from '../../src/features/ingest.js';
import { describeEachEngine, type TestDatabase } from '../support/engines.js';
import { countRows } from '../support/fixtures.js';
import { HOUR, baseSpec, closeLeague, kickoff, openLeague } from './dataset-fixture.js';

describeEachEngine('dataset builder', (engine) => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => ({ db, home } = await openLeague(engine)));
  afterAll(() => closeLeague({ db, home }));

  it('contains only values from before each label time, in deterministic row order', async () => {
    const { dataset, created } = await buildDataset(db, baseSpec, home);
    expect(created).toBe(true);
    // 8 finished games minus the tie (excluded by default)
    expect(dataset.row_count).toBe(7);
    const table = tableFromIPC(fs.readFileSync(dataset.metadata.file_path));
    expect(table.numRows).toBe(7);
    const events = table.getChild('event_id')!.toArray() as string[];
    expect([...events]).toEqual(['G0', 'G1', 'G3', 'G4', 'G5', 'G6', 'G7']);
    const week = events.map((e) => Number(e.slice(1)));
    expect([...table.getChild('home_rating')!.toArray()]).toEqual(week.map((w) => 100 + w));
    expect([...table.getChild('away_rating')!.toArray()]).toEqual(week.map((w) => 100 + w));
    expect([...table.getChild('diff_rating')!.toArray()]).toEqual(week.map(() => 0));
    expect([...table.getChild('line')!.toArray()]).toEqual(week.map((w) => (w === 0 ? 0 : -w)));
    expect([...table.getChild('target')!.toArray()]).toEqual([1, 0, 0, 0, 1, 0, 1]);
    const labelTimes = Array.from(table.getChild('label_time')!.toArray() as ArrayLike<number | bigint>, Number);
    expect(labelTimes).toEqual(week.map((w) => kickoff(w).getTime() - HOUR));
    // the audit: every value at most at its label time, none null, staleness 0–10 h
    const audit = dataset.metadata.audit;
    for (const c of audit.columns) {
      expect(c.max_lead_ms).toBeLessThanOrEqual(0);
      expect(c.null_fraction).toBe(0);
    }
    expect(audit.columns.find((c) => c.column === 'line')!.staleness_hours.median).toBe(10);
    // the schema metadata carries the spec and the feature list
    expect(JSON.parse(table.schema.metadata.get('precog.spec')!)).toMatchObject({ name: 'games', version: '1' });
    expect(table.schema.metadata.get('precog.row_count')).toBe('7');
  });

  it('labels ties 0.5 on request and excludes nothing else', async () => {
    const { dataset } = await buildDataset(db, { ...baseSpec, version: 'ties', labels: { seasons: [2021, 2022], ties: 'half' } }, home);
    expect(dataset.row_count).toBe(8);
  });

  it('rebuilds byte-identical, building again is a no-op, and a changed spec is rejected', async () => {
    const registered = await getDataset(db.db, 'games@1');
    const rebuilt = await rebuildRegistered(db, registered);
    expect(rebuilt.sha256).toBe(registered.metadata.sha256);
    const again = await buildDataset(db, baseSpec, home);
    expect(again.created).toBe(false);
    await expect(buildDataset(db, { ...baseSpec, mode: 'event' }, home)).rejects.toThrow(DatasetImmutableError);
    expect(await countRows(db, 'training_datasets')).toBe(2);
  });

  it('ignores late corrections in known-at mode and after the knowledge cutoff', async () => {
    // A correction of week 4's "before" rating, learned a day after the game.
    const label = kickoff(4).getTime() - HOUR;
    await ingestValues(db, 'late', [
      {
        feature: 'rating@1',
        entity: 'AAA',
        timestamp: new Date(label - 1).toISOString(),
        available_at: new Date(label + 24 * HOUR).toISOString(),
        value: 999,
      },
    ]);
    const registered = await getDataset(db.db, 'games@1');
    expect((await rebuildRegistered(db, registered)).sha256).toBe(registered.metadata.sha256);
    const known = await buildDataset(db, { ...baseSpec, version: 'known2' }, home);
    const eventTime = await buildDataset(db, { ...baseSpec, version: 'event2', mode: 'event' }, home);
    const value = async (ref: string) => {
      const { file } = await openRegisteredDataset(db.db, ref);
      const cols = await file.readColumns();
      const row = cols.eventId.indexOf('G4');
      return cols.features.find((f) => f.name === 'home_rating')!.values[row];
    };
    expect(await value(`games@${known.dataset.dataset_version}`)).toBe(104);
    // event-time mode takes the latest correction of the value at T (known only afterwards)
    expect(await value(`games@${eventTime.dataset.dataset_version}`)).toBe(999);
  });

  it('verify detects a changed file', async () => {
    const ok = await verifyDataset(db, 'games@1');
    expect(ok).toMatchObject({ ok: true, file_ok: true, rebuild_matches: true });
    const file = (await getDataset(db.db, 'games@1')).metadata.file_path;
    const bytes = fs.readFileSync(file);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    const bad = await verifyDataset(db, 'games@1');
    expect(bad.ok).toBe(false);
    expect(bad.file_ok).toBe(false);
    expect(bad.problems[0]).toMatch(/sha256/);
  });

  it('rejects an unknown feature or a role that does not fit, naming it', async () => {
    await expect(
      buildDataset(db, { ...baseSpec, version: 'x', features: [{ feature: 'nope@1', role: 'event' }] }, home),
    ).rejects.toThrow(/nope@1 is not a registered feature/);
    await expect(
      buildDataset(db, { ...baseSpec, version: 'x', features: [{ feature: 'rating@1', role: 'event' }] }, home),
    ).rejects.toThrow(InvalidDatasetSpecError);
    await expect(
      buildDataset(db, { ...baseSpec, version: 'x', features: [{ feature: 'line@1', role: 'home_team' }] }, home),
    ).rejects.toThrow(/line@1 describes events and cannot fill role home_team/);
    await expect(buildDataset(db, { ...baseSpec, labels: { seasons: [2022, 2021] } }, home)).rejects.toThrow(/seasons/);
  });
});
