import path from 'node:path';
import type { Command } from 'commander';
import { precogHome } from '../db/connection.js';
import { runDemo, type DemoSummary } from '../training/demo/demo-pipeline.js';
import { formatTable, printJson, printLines, UsageError } from './output.js';

/**
 * The latent-truth correlations the demo must reach. Justification: with 32 teams and
 * 16 games a season, Elo's ratings track strengths that drift weekly; on this league's
 * seeds they correlate 0.8–0.9 with the truth after the first season, and the models'
 * probabilities 0.75–0.9 with the true win probabilities. 0.6 leaves room for other seeds
 * while still failing a pipeline that leaks, shuffles or drops signal (which falls to ~0).
 */
export const RECOVERY_THRESHOLD = 0.6;

/** `precog demo`: the whole pipeline on a fresh embedded database, with generated data. */
export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline on a fresh embedded database with a synthetic league')
    // Under $PRECOG_HOME, never in it: the demo recreates its folder and must not touch real data.
    .option('--home <dir>', 'where the demo database and files go (recreated)', path.join(precogHome(), 'demo'))
    .option('--seed <n>', 'league seed', '7')
    .option('--teams <n>', 'teams in the league', '32')
    .option('--seasons <n>', 'seasons to simulate', '10')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExample:\n  precog demo            # 32 teams, 10 seasons, under 3 minutes\n  precog demo --json --seasons 6')
    .action(async (opts: { home: string; seed: string; teams: string; seasons: string; json?: boolean }) => {
      const [seed, teams, seasons] = [opts.seed, opts.teams, opts.seasons].map(Number) as [number, number, number];
      if (![seed, teams, seasons].every((n) => Number.isInteger(n) && n > 0) || seasons < 4 || teams < 4) {
        throw new UsageError('--seed, --teams (≥ 4) and --seasons (≥ 4) must be whole numbers');
      }
      const quiet = opts.json === true;
      const t0 = performance.now();
      const summary = await runDemo({
        home: opts.home,
        seed,
        teams,
        seasons,
        onStep: (s) => !quiet && process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}\n`),
      });
      if (quiet) printJson({ ...summary, recovery_threshold: RECOVERY_THRESHOLD });
      else printLines(...formatSummary(summary));
      const { elo_vs_latent_strength: elo, model_vs_latent_probability: model } = summary.recovery;
      if (!(elo >= RECOVERY_THRESHOLD && model >= RECOVERY_THRESHOLD)) {
        throw new Error(
          `self-check failed: correlation with the latent truth is ${elo.toFixed(3)} (Elo) and ${model.toFixed(3)} (model), ` +
            `below ${RECOVERY_THRESHOLD}`,
        );
      }
    });
}

/** A path relative to the working directory when it is below it, absolute otherwise. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith('..') ? relative : dir;
}

function formatSummary(s: DemoSummary): string[] {
  const baselineNames = [...new Set(s.runs.flatMap((r) => Object.keys(r.baselines)))];
  return [
    '',
    `Precog demo — ${s.league.teams} teams × ${s.league.seasons} seasons, ${s.league.games} games, ${s.league.market_versions} market versions`,
    `dataset ${s.dataset.ref}: ${s.dataset.rows} rows, sha256 ${s.dataset.sha256.slice(0, 16)}…, verified ${s.dataset.verified ? 'yes' : 'NO'}`,
    '',
    formatTable(
      ['run', 'model', 'Brier', 'log loss', ...baselineNames.map((b) => `${b} Brier`), 'seconds'],
      s.runs.map((r) => [
        r.run_id,
        r.model,
        r.brier.toFixed(4),
        r.log_loss.toFixed(4),
        ...baselineNames.map((b) => r.baselines[b]?.brier.toFixed(4) ?? ''),
        r.seconds.toFixed(1),
      ]),
    ),
    '',
    `edges: ${s.edges.found} found against ${s.edges.markets} open markets at ${s.edges.at} (detection ${s.edges.detection})`,
    `self-check: Elo vs latent strength r = ${s.recovery.elo_vs_latent_strength.toFixed(3)}, ` +
      `model vs latent probability r = ${s.recovery.model_vs_latent_probability.toFixed(3)} (threshold ${RECOVERY_THRESHOLD})`,
    '',
    `database  ${s.database}`,
    `dataset   ${s.dataset.file}`,
    `artifacts ${s.artifacts}`,
    `look at it: PRECOG_HOME=${displayPath(s.home)} npx precog ui`,
    `done in ${s.seconds.toFixed(1)} s`,
  ];
}
