import fc from 'fast-check';
import { SQL_ATTACKS } from './sql-attacks.js';

/**
 * Generated CSV tables for the NFL parsers, dataset specs and hyperparameter inputs — the
 * fuzz suite's inputs that need no database.
 */

/** A hostile cell: SQL, odd numbers and dates, quotes, newlines, BOMs, huge text. */
export const hostileCell: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL_ATTACKS),
  fc.constantFrom(
    '1e309', '-1e309', 'NaN', 'Infinity', '-0', '0x10', '1_000', '١٢', '', ' ', '-', '.',
    '10000-01-01', '9999-12-31T23:59:59-05:00', '0/0/0', '13/45/2020', '2/29/2021', '02/30/2020', '1/1/10000',
    '"', '""', '"a"b', 'a\r\nb', '\r', '\n', '\uFEFF', '\uFEFFKC', '\u0000', '\uFFFD', '\uD800',
  ),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'Y'.repeat(n)),
  fc.double().map(String),
);

/** A CSV table: the template row repeated, some cells replaced by hostile ones. */
export interface TableModel {
  readonly rows: readonly (readonly string[])[];
  /** Whether every cell is the template's (such a file must parse). */
  readonly pristine: boolean;
  readonly crlf: boolean;
  readonly bom: boolean;
  readonly quoteAll: boolean;
}

/** Tables of `template` rows (cells in `columns` order) with random hostile cells. */
export function tableModel(template: readonly (readonly string[])[]): fc.Arbitrary<TableModel> {
  const width = template[0]!.length;
  return fc
    .record({
      picks: fc.array(fc.nat(template.length - 1), { minLength: 1, maxLength: 5 }),
      mutations: fc.array(fc.tuple(fc.nat(4), fc.nat(width - 1), hostileCell), { maxLength: 4 }),
      crlf: fc.boolean(),
      bom: fc.boolean(),
      quoteAll: fc.boolean(),
    })
    .map(({ picks, mutations, crlf, bom, quoteAll }) => {
      const rows = picks.map((p) => [...template[p]!]);
      for (const [r, c, cell] of mutations) if (r < rows.length) rows[r]![c] = cell;
      const pristine = rows.every((row, r) => row.every((cell, c) => cell === template[picks[r]!]![c]));
      return { rows, pristine, crlf, bom, quoteAll };
    });
}

/** Writes a table as CSV text (header first), quoting cells that need it. */
export function renderTable(columns: readonly string[], model: TableModel): string {
  const eol = model.crlf ? '\r\n' : '\n';
  const cell = (text: string) => (model.quoteAll || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [columns.join(','), ...model.rows.map((row) => row.map(cell).join(','))];
  return `${model.bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}

/** Any JSON value, or a value shaped like `template` with some members replaced by hostile ones. */
export function mutatedJson(template: unknown): fc.Arbitrary<unknown> {
  const hostileValue = fc.oneof(
    hostileCell,
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(-1, 0, 1799, 10_000, 1e309, -0, 2 ** 53 + 1, Number.NaN, true, null, [], {}),
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown> },
    {
      weight: 6,
      arbitrary: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), hostileValue, fc.boolean()), { maxLength: 4 }).map((edits) => {
        const copy = structuredClone(template) as unknown;
        for (const [where, value, remove] of edits) replaceAt(copy, where, value, remove);
        return copy;
      }),
    },
  );
}

/** Replaces (or removes) the member at relative position `where` of all of `root`'s members, depth first. */
function replaceAt(root: unknown, where: number, value: unknown, remove: boolean): void {
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((child, i) => (slots.push({ parent: node, key: i }), walk(child)));
    else if (node && typeof node === 'object') {
      for (const [k, child] of Object.entries(node)) {
        slots.push({ parent: node as Record<string, unknown>, key: k });
        walk(child);
      }
    }
  };
  walk(root);
  const slot = slots[Math.min(slots.length - 1, Math.floor(where * slots.length))];
  if (!slot) return;
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else if (remove) delete slot.parent[slot.key as string];
  else slot.parent[slot.key as string] = value;
}

/** The hyperparameter keys and the values each accepts, as text, with the number they mean. */
const VALID_HP: Record<string, fc.Arbitrary<[string, unknown]>> = {
  learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }).map((v) => [String(v), v]),
  epochs: fc.integer({ min: 1, max: 100_000 }).map((v) => [String(v), v]),
  batchSize: fc.integer({ min: 1, max: 1_000_000 }).map((v) => [` ${v}`, v]),
  l2: fc.double({ min: 0, max: 100, noNaN: true }).map((v) => [v.toExponential(), Number(v.toExponential())]),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((v) => [String(v), v]),
};
const VALID_MLP_HP: Record<string, fc.Arbitrary<[string, unknown]>> = {
  ...VALID_HP,
  hiddenUnits: fc
    .array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 16 })
    .chain((units) => fc.constantFrom<[string, unknown]>([units.join(','), units], [`[${units.join(', ')}]`, units])),
  activation: fc.constantFrom<[string, unknown]>(['relu', 'relu'], ['tanh', 'tanh'], ['sigmoid', 'sigmoid'], ['elu', 'elu']),
  dropout: fc.double({ min: 0, max: 0.999, noNaN: true }).map((v) => [String(v), v]),
};

/** Valid `--hp key=value` lists and the values they must give. */
export const validHyperparameters: fc.Arbitrary<{ type: 'logistic' | 'mlp'; entries: string[]; expected: Record<string, unknown> }> =
  fc.constantFrom('logistic' as const, 'mlp' as const).chain((type) => {
    const table = type === 'mlp' ? VALID_MLP_HP : VALID_HP;
    return fc.subarray(Object.keys(table)).chain((keys) =>
      fc.tuple(...keys.map((k) => table[k]!)).map((pairs) => ({
        type,
        entries: pairs.map(([text], i) => `${keys[i]}=${text}`),
        expected: Object.fromEntries(pairs.map(([, value], i) => [keys[i]!, value])),
      })),
    );
  });

const HP_KEYS = ['learningRate', 'epochs', 'batchSize', 'l2', 'seed', 'hiddenUnits', 'activation', 'dropout'];

/** Anything a user might pass as hyperparameters: `--hp` strings, objects, other JSON. */
export const anyHyperparameters: fc.Arbitrary<{ type: string; input: unknown }> = fc.record({
  type: fc.oneof(fc.constantFrom('logistic', 'mlp', 'MLP', 'elo', ''), fc.constantFrom(...SQL_ATTACKS)),
  input: fc.oneof(
    fc.array(
      fc.oneof(
        fc.tuple(fc.oneof(fc.constantFrom(...HP_KEYS), hostileCell), fc.oneof(hostileCell, fc.constantFrom('1e-3', '16,8', '[16,8]', '[]', ',', '0', '-1', '1e9'))).map(
          ([k, v]) => `${k}=${v}`,
        ),
        hostileCell,
      ),
      { maxLength: 6 },
    ),
    fc.dictionary(fc.oneof(fc.constantFrom(...HP_KEYS), fc.string({ maxLength: 6 })), fc.oneof(fc.jsonValue({ maxDepth: 1 }), hostileCell), {
      maxKeys: 5,
    }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
});

/** Feature uses a dataset spec may list: ones that build, and ones that must be rejected. */
const GOOD_USES = [
  { feature: 'rating@1', role: 'both_teams', diff: true },
  { feature: 'line@1', role: 'event' },
  { feature: 'rating@1', role: 'home_team', as: 'home_form', ttl: '7d' },
  { feature: 'rating@1', role: 'away_team', as: 'away_form', ttl: '0.5ms' },
] as const;
const BAD_USES = [
  { feature: 'rating@1', role: 'away_team', ttl: '99999999999999w' },
  { feature: 'line@1', role: 'market', platform: 'kalshi' },
  { feature: 'nope@1', role: 'event' },
  { feature: 'line@1', role: 'event', as: 'home_rating' },
  { feature: 'rating@1', role: 'event' },
  { feature: "rating@1'; drop table training_datasets; --", role: 'home_team' },
] as const;

/** Mostly `good`, sometimes one of `bad`. */
const mostly = <T>(good: readonly T[], bad: readonly T[]) =>
  fc.oneof({ weight: 19, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });

/** Dataset specs near and past the edges of what builds: durations, seasons, cutoffs, roles. */
export const edgySpec: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    name: mostly(['games', 'g', 'a'.repeat(100), 'x_1'], ['a'.repeat(101), 'Games', "g'; --"]),
    version: mostly(['1', 'v2.0-rc_1', '9'.repeat(20)], ['', 'v'.repeat(21), "1'; drop table training_datasets; --"]),
    sport: mostly(['nfl'], ['nba', "'; drop table training_datasets; --"]),
    labels: fc.record(
      {
        seasons: mostly<[number, number]>([[2021, 2022], [2020, 2022], [2022, 2022], [1800, 9999]], [[2022, 2021], [1799, 2022], [2021, 10_000]]),
        ties: fc.constantFrom('exclude', 'half'),
        label_offset: mostly(['0h', '1h', '90m', '0.5ms', '7d', '52w', '52000w'], ['99999999999w', '100000000d', '1e3h', '-1h', 'NaNh']),
        playoffs: fc.boolean(),
      },
      { requiredKeys: ['seasons'] },
    ),
    features: fc.tuple(fc.subarray([...GOOD_USES], { minLength: 1 }), fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_USES) })).map(([good, bad]) => (bad ? [...good, bad] : good)),
    mode: fc.constantFrom('known', 'event'),
    strict: fc.boolean(),
    ttl: mostly(['1ms', '30d', '0.001ms', '52000w'], ['99999999999999w', '520000w', '0ms', '-1d']),
    knowledge_cutoff: mostly(
      ['1800-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2021-09-12T17:00:00+05:00', '2022-01-01T00:00:00.123456Z'],
      ['2021-02-30T00:00:00Z', '10000-01-01T00:00:00Z', 'now'],
    ),
  },
  { requiredKeys: ['name', 'version', 'sport', 'labels', 'features'] },
);
