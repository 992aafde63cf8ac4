import fs from 'node:fs';
import type { Command } from 'commander';
import { parseInitialElosCsvFile } from '../entities/nfl/initial-elos-csv.js';
import { InvalidEloParamsError } from '../training/elo/errors.js';
import {
  ELO_PRESETS,
  isEloPreset,
  OVERRIDABLE_PARAMS,
  parseParamOverrides,
  presetParams,
  type EloParamOverrides,
} from '../training/elo/elo-param-overrides.js';
import { formatPredictionsCsv } from '../training/elo/elo-predictions-csv.js';
import { runEloOnStore, type EloScores } from '../training/elo/elo-run.js';
import { withDatabase, type DbCommandOptions } from './context.js';
import { printJson, printLines, requireInputFile, UsageError } from './output.js';
import { createProgress } from './progress.js';

interface EloRunCommandOptions extends DbCommandOptions {
  readonly preset: string;
  readonly param: string[];
  readonly initialElos?: string;
  readonly out?: string;
  readonly json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Parses and checks the overrides before any database work (a bad one is a usage error). */
function overridesOf(pairs: readonly string[]): EloParamOverrides {
  try {
    const overrides = parseParamOverrides(pairs);
    presetParams('538', {}, overrides);
    return overrides;
  } catch (error) {
    if (error instanceof InvalidEloParamsError) throw new UsageError(`--param: ${error.message}`, { field: error.field });
    throw error;
  }
}

const fixed = (x: number | null, digits: number) => (x === null ? '-' : x.toFixed(digits));
const scoreLine = (label: string, s: EloScores) =>
  `${label === 'overall' ? 'overall ' : ''}${s.seasons.first}–${s.seasons.last}: ${s.games} decided games, Brier ${fixed(s.brier, 4)}, ` +
  `log loss ${fixed(s.logLoss, 4)}, accuracy ${s.accuracy === null ? '-' : (100 * s.accuracy).toFixed(1)}%`;

/** `precog elo run`. */
export function registerEloCommands(program: Command): void {
  const group = program.command('elo').description('Elo ratings computed over the stored games, served as features');

  group
    .command('run')
    .description('rate every stored NFL game; store elo_rating@<v> and elo_prob_home@<v>')
    .option('--preset <name>', `parameter preset: ${ELO_PRESETS.join(', ')}`, '538')
    .option('--param <key=value>', `override a parameter (${OVERRIDABLE_PARAMS.join(', ')}); repeatable`, collect, [])
    .option('--initial-elos <file>', 'initial ratings (team,elo); default: the first elo538_rating of each team')
    .option('--out <file>', 'write date,season,team1,team2,prob1 for every game')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText(
      'after',
      '\nThe unmodified preset stores version 538; any --param makes a new version p<hash>.\n' +
        'Running the same parameters again changes nothing.\nExample:\n' +
        '  precog elo run --preset 538 --json\n  precog elo run --param k=25 --param homeAdvantage=55 --out preds.csv',
    )
    .action(async (opts: EloRunCommandOptions) => {
      if (!isEloPreset(opts.preset)) throw new UsageError(`--preset must be one of ${ELO_PRESETS.join(', ')}, not "${opts.preset}"`);
      const preset = opts.preset;
      const overrides = overridesOf(opts.param);
      if (opts.initialElos !== undefined) requireInputFile(opts.initialElos);
      const initialRatings = opts.initialElos === undefined ? undefined : await parseInitialElosCsvFile(opts.initialElos);
      await withDatabase(opts, async (conn) => {
        const progress = createProgress('elo run', opts.json === true);
        try {
          const { predictions, ...report } = await runEloOnStore(conn, {
            preset,
            overrides,
            ...(initialRatings ? { initialRatings } : {}),
            onProgress: progress.update,
          });
          progress.stop();
          if (opts.out !== undefined) fs.writeFileSync(opts.out, formatPredictionsCsv(predictions));
          const out = opts.out ?? null;
          if (opts.json) {
            printJson({ ...report, out });
            return;
          }
          printLines(
            `${report.features.rating}, ${report.features.probability}: ${report.games} games rated, ${report.unplayed} unplayed` +
              ` (initial ratings from ${report.initialRatings.source})`,
            `stored: ${report.store.inserted} new, ${report.store.corrected} corrected, ${report.store.unchanged} unchanged`,
            `maxAbsDiffVs538: ${report.maxAbsDiffVs538 === null ? '- (no 538 probabilities stored)' : report.maxAbsDiffVs538.toExponential(3)}` +
              ` over ${report.comparedVs538} games`,
            ...Object.entries(report.metrics).map(([label, s]) => scoreLine(label, s)),
            ...(out ? [`predictions written to ${out}`] : []),
          );
        } finally {
          progress.stop();
        }
      });
    });
}
