import type { Command } from 'commander';
import { precogHome } from '../db/connection.js';
import type { TrainingRunRow } from '../db/tables/model-training-runs.table.js';
import { detectEdges } from '../training/edges/detect-edges.js';
import { parseInstant } from '../features/ingest-row.js';
import { DEFAULT_BASELINES, type BaselineSpec } from '../training/baselines.js';
import { TRAINABLE_TYPES, type TrainableType } from '../training/model-registry.js';
import { getRun, listRuns, reapDeadRuns } from '../training/runs/run-log.js';
import type { RunMetrics } from '../training/train-run.js';
import { trainRun } from '../training/train-run.js';
import { withDatabase, type DbCommandOptions } from './context.js';
import { formatTable, printJson, printLines, UsageError } from './output.js';
import { createProgress } from './progress.js';

interface JsonOption extends DbCommandOptions {
  readonly json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '' : x.toFixed(digits));

/** A run as commands print it. */
export function runSummary(r: TrainingRunRow) {
  const m = r.metrics as RunMetrics | null;
  return {
    run_id: r.run_id,
    status: r.status,
    model_id: r.model_id,
    model: m?.model.type ?? null,
    dataset: m?.dataset.ref ?? null,
    dataset_id: r.dataset_id,
    knowledge_cutoff: m?.dataset.knowledge_cutoff ?? null,
    backend: r.backend,
    duration_seconds: r.training_duration_seconds,
    brier: m?.overall?.brier ?? null,
    log_loss: m?.overall?.log_loss ?? null,
    baselines: Object.fromEntries(Object.entries(m?.baselines ?? {}).map(([k, v]) => [k, { brier: v.brier, log_loss: v.log_loss }])),
    error_message: r.error_message,
    created_at: r.created_at.toISOString(),
    completed_at: r.completed_at ? r.completed_at.toISOString() : null,
  };
}

/** `--baseline elo538,spread` or `--baseline none`: the default baselines named, in that order. */
function baselinesNamed(text: string): BaselineSpec[] {
  if (text.trim() === 'none') return [];
  return text.split(',').map((raw) => {
    const name = raw.trim();
    const spec = DEFAULT_BASELINES.find((b) => b.name === name);
    if (!spec) throw new UsageError(`--baseline takes ${DEFAULT_BASELINES.map((b) => b.name).join(', ')} or none, not "${name}"`);
    return spec;
  });
}

/** `precog train`, `precog runs list | show | compare`, `precog edges detect`. */
export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('train and evaluate a model walk-forward on a dataset; the run is logged with its baselines')
    .requiredOption('--dataset <ref>', 'registered dataset name@version')
    .requiredOption('--model <type>', `one of ${TRAINABLE_TYPES.join(', ')}`)
    .option('--hp <key=value>', 'hyperparameter (repeatable), e.g. --hp epochs=80 --hp hiddenUnits=16,8', collect, [])
    .option('--walk-forward <from:to>', 'test seasons, e.g. 2000:2020 (default: every season after the first)')
    .option('--train-window <seasons>', 'train on at most this many earlier seasons')
    .option(
      '--baseline <names>',
      `baselines scored beside the model: a comma list of ${DEFAULT_BASELINES.map((b) => b.name).join(', ')}, or none (default: those whose feature exists)`,
    )
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog train --dataset nfl_games@1 --model logistic --walk-forward 2000:2020 --json')
    .action(
      async (opts: JsonOption & { dataset: string; model: string; hp: string[]; walkForward?: string; trainWindow?: string; baseline?: string }) => {
        if (!(TRAINABLE_TYPES as readonly string[]).includes(opts.model)) {
          throw new UsageError(`--model must be one of ${TRAINABLE_TYPES.join(', ')}, not "${opts.model}"`);
        }
        const baselines = opts.baseline === undefined ? undefined : baselinesNamed(opts.baseline);
        const malformed = opts.hp.find((item) => !/^[^=]+=/.test(item));
        if (malformed !== undefined) throw new UsageError(`--hp takes key=value (e.g. --hp epochs=80), not "${malformed}"`);
        const window = opts.trainWindow === undefined ? undefined : Number(opts.trainWindow);
        if (window !== undefined && !(Number.isInteger(window) && window > 0)) {
          throw new UsageError(`--train-window must be a positive whole number, not "${opts.trainWindow}"`);
        }
        await withDatabase(opts, async (conn) => {
          const progress = createProgress('train', opts.json === true);
          const { run, metrics } = await trainRun(conn, {
            dataset: opts.dataset,
            model: opts.model as TrainableType,
            hyperparameters: opts.hp,
            ...(opts.walkForward ? { walkForward: opts.walkForward } : {}),
            ...(window ? { trainWindow: window } : {}),
            ...(baselines ? { baselines } : {}),
            home: precogHome(),
            // Stages on stderr, even with --json (stdout stays machine-readable): a long run says
            // which run it is as soon as the run is logged, so it can be watched or stopped.
            onProgress: (message) => process.stderr.write(`precog: ${message}\n`),
          });
          progress.stop();
          if (opts.json) printJson({ ...runSummary(run), metrics, artifacts: run.artifacts });
          else printLines(...formatRun(run, metrics));
        });
      },
    );

  const runs = program.command('runs').description('training runs: list, show, compare');
  runs
    .command('list')
    .description('recent runs, newest first (reaps runs whose process died)')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog runs list --json')
    .action(async (opts: JsonOption & { limit: string }) => {
      const limit = Number(opts.limit);
      if (!(Number.isInteger(limit) && limit > 0)) throw new UsageError(`--limit must be a positive whole number`);
      await withDatabase(opts, async (conn) => {
        await reapDeadRuns(conn.db);
        const rows = (await listRuns(conn.db, { limit })).map(runSummary);
        if (opts.json) printJson(rows);
        else
          printLines(
            formatTable(
              ['run', 'status', 'model', 'dataset', 'brier', 'log loss', ...baselineNames(rows).map((b) => `${b} brier`), 'seconds'],
              rows.map((r) => [
                r.run_id,
                r.status,
                r.model,
                r.dataset,
                num(r.brier),
                num(r.log_loss),
                ...baselineNames(rows).map((b) => num(r.baselines[b]?.brier)),
                num(r.duration_seconds, 1),
              ]),
            ),
          );
      });
    });

  runs
    .command('show <id>')
    .description('one run: hyperparameters, metrics per season, baselines, artifacts')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog runs show 3')
    .action(async (id: string, opts: JsonOption) => {
      const runId = parseRunId(id);
      await withDatabase(opts, async (conn) => {
        const run = await getRun(conn.db, runId);
        if (opts.json) printJson({ ...runSummary(run), hyperparameters: run.hyperparameters, metrics: run.metrics, artifacts: run.artifacts });
        else printLines(...formatRun(run, run.metrics as RunMetrics | null));
      });
    });

  runs
    .command('compare <a> <b>')
    .description('two runs side by side; says when they used different data')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog runs compare 3 4')
    .action(async (a: string, b: string, opts: JsonOption) => {
      const [ia, ib] = [parseRunId(a), parseRunId(b)];
      await withDatabase(opts, async (conn) => {
        const [ra, rb] = [await getRun(conn.db, ia), await getRun(conn.db, ib)];
        const comparison = compareRuns(ra, rb);
        if (opts.json) printJson(comparison);
        else {
          printLines(
            comparison.same_data
              ? `same data: ${comparison.data.a.dataset} (sha256 ${comparison.data.a.sha256?.slice(0, 12)}, cutoff ${comparison.data.a.knowledge_cutoff})`
              : `DIFFERENT DATA: run ${ia} used ${comparison.data.a.dataset} (sha256 ${comparison.data.a.sha256?.slice(0, 12)}, cutoff ${comparison.data.a.knowledge_cutoff}); ` +
                  `run ${ib} used ${comparison.data.b.dataset} (sha256 ${comparison.data.b.sha256?.slice(0, 12)}, cutoff ${comparison.data.b.knowledge_cutoff}) — metrics are not comparable like for like`,
            formatTable(['', `run ${ia}`, `run ${ib}`], comparison.rows.map((r) => [r.name, r.a, r.b])),
          );
        }
      });
    });

  const edges = program.command('edges').description('edges: model probability against market price');
  edges
    .command('detect')
    .description("compare a run's probabilities with the market prices current at a time; write edges (SCD2)")
    .requiredOption('--run <id>', 'training run id')
    .option('--at <time>', 'as-of instant (ISO-8601; default now)')
    .option('--min-edge <ev>', 'minimum expected value per contract', '0.02')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText('after', '\nExample:\n  precog edges detect --run 3 --at 2020-12-27T17:00:00Z --json')
    .action(async (opts: JsonOption & { run: string; at?: string; minEdge: string }) => {
      const runId = parseRunId(opts.run);
      let at = new Date();
      if (opts.at) {
        const t = parseInstant(opts.at);
        if (!t.ok) throw new UsageError(`--at "${opts.at}": ${t.reason}`);
        at = new Date(t.iso);
      }
      const minEdge = Number(opts.minEdge);
      if (!(minEdge >= 0 && minEdge <= 1)) throw new UsageError(`--min-edge must be in [0, 1]`);
      await withDatabase(opts, async (conn) => {
        const detection = await detectEdges(conn, { runId, at, minEdge });
        if (opts.json) printJson(detection);
        else
          printLines(
            `detection ${detection.calculation_run_id} at ${detection.at}: ${detection.markets_priced} open markets, ` +
              `${detection.edges.length} edges, ${detection.closed} closed`,
            formatTable(
              ['market', 'side', 'model p', 'price', 'EV'],
              detection.edges.map((e) => [e.market_id, e.side, e.model_probability.toFixed(3), e.price, e.expected_value.toFixed(3)]),
            ),
          );
      });
    });
}

function parseRunId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`"${text}" is not a run id`);
  return id;
}

function baselineNames(rows: readonly ReturnType<typeof runSummary>[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.baselines)))].sort();
}

function formatRun(run: TrainingRunRow, m: RunMetrics | null): string[] {
  const lines = [
    `run ${run.run_id}: ${run.status}${run.error_message ? ` (${run.error_message})` : ''}`,
    `model ${m?.model.type ?? '?'} (model_id ${run.model_id}), backend ${run.backend ?? '-'}, ${num(run.training_duration_seconds, 1)} s`,
    `hyperparameters ${JSON.stringify(run.hyperparameters)}`,
  ];
  if (!m?.overall) return lines;
  lines.push(`dataset ${m.dataset.ref} (sha256 ${m.dataset.sha256.slice(0, 12)}, knowledge cutoff ${m.dataset.knowledge_cutoff})`);
  lines.push(`walk-forward ${m.walk_forward.range}: ${m.walk_forward.folds.length} seasons, ${m.compared_rows} games compared`);
  const series = [['model', m.overall] as const, ...Object.entries(m.baselines)];
  lines.push(
    formatTable(
      ['series', 'games', 'brier', 'log loss', 'accuracy', 'ECE', '538 points'],
      series.map(([name, s]) => [name, s.n, num(s.brier), num(s.log_loss), num(s.accuracy, 3), num(s.ece), num(s.game_points_538, 1)]),
    ),
  );
  const baselines = Object.keys(m.baselines);
  lines.push(
    '',
    formatTable(
      ['season', 'games', 'model brier', ...baselines.map((b) => `${b} brier`)],
      m.per_season.map((s) => [s.season, s.n, num(s.brier), ...baselines.map((b) => num(s.baselines[b]?.brier))]),
    ),
  );
  const artifacts = run.artifacts as Record<string, string> | null;
  if (artifacts) lines.push('', ...Object.entries(artifacts).map(([k, v]) => `${k.padEnd(18)} ${v}`));
  return lines;
}

/** Two runs' hyperparameters and metrics side by side, and whether their data was the same. */
export function compareRuns(a: TrainingRunRow, b: TrainingRunRow) {
  const ma = a.metrics as RunMetrics | null;
  const mb = b.metrics as RunMetrics | null;
  const data = (m: RunMetrics | null) => ({
    dataset: m?.dataset.ref ?? null,
    sha256: m?.dataset.sha256 ?? null,
    knowledge_cutoff: m?.dataset.knowledge_cutoff ?? null,
  });
  const flat = (prefix: string, value: unknown, out: Map<string, string>) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) flat(prefix ? `${prefix}.${k}` : k, v, out);
    } else if (value !== undefined) out.set(prefix, typeof value === 'number' ? String(Math.round(value * 1e6) / 1e6) : JSON.stringify(value));
    return out;
  };
  const side = (r: TrainingRunRow, m: RunMetrics | null) =>
    flat('', { model: m?.model.type, hyperparameters: r.hyperparameters, overall: m?.overall, baselines: m?.baselines, walk_forward: m?.walk_forward.range }, new Map());
  const fa = side(a, ma);
  const fb = side(b, mb);
  const names = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  const da = data(ma);
  const db = data(mb);
  return {
    runs: [a.run_id, b.run_id],
    same_data: da.sha256 !== null && da.sha256 === db.sha256 && da.knowledge_cutoff === db.knowledge_cutoff,
    data: { a: da, b: db },
    rows: names.map((name) => ({ name, a: fa.get(name) ?? '', b: fb.get(name) ?? '', differs: fa.get(name) !== fb.get(name) })),
  };
}
