import type { Command } from 'commander';
import { importNfl538 } from '../features/sources/nfl-538-import.js';
import { importSpreadspoke } from '../features/sources/spreadspoke-import.js';
import { withDatabase, type DbCommandOptions } from './context.js';
import { printJson, printLines, requireInputFile } from './output.js';
import { createProgress } from './progress.js';

interface ImportOptions extends DbCommandOptions {
  readonly json?: boolean;
  readonly skipInvalid?: boolean;
}


const counts = (c: { inserted: number; updated?: number; corrected?: number; unchanged: number }) =>
  [`${c.inserted} new`, c.updated !== undefined ? `${c.updated} updated` : null, c.corrected !== undefined ? `${c.corrected} corrected` : null, `${c.unchanged} unchanged`]
    .filter(Boolean)
    .join(', ');

const rejectedLine = (r: { rejected: number; rejectedFile: string | null }) =>
  r.rejected > 0 ? `rejected ${r.rejected} rows, written to ${r.rejectedFile}` : 'no rows rejected';

/** `precog import nfl-538 | spreadspoke`. */
export function registerImportCommands(program: Command): void {
  const group = program.command('import').description('import real NFL data: games as events, published numbers as features');

  group
    .command('nfl-538 <file>')
    .description("FiveThirtyEight's nfl_games.csv: teams, games as events, 538's pre-game Elo as features")
    .option('--skip-invalid', 'import the valid rows; write the rejected ones to <file>.rejected.csv')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText(
      'after',
      '\nOne transaction: any invalid row rejects the whole file unless --skip-invalid.\n' +
        'Importing the same file again changes nothing.\nExample:\n  precog import nfl-538 ../shared/data/nfl/nfl_games.csv --json',
    )
    .action(async (file: string, opts: ImportOptions) => {
      requireInputFile(file, 'games');
      await withDatabase(opts, async (conn) => {
        const progress = createProgress('import nfl-538', opts.json === true);
        try {
          const report = await importNfl538(conn, file, { skipInvalid: opts.skipInvalid === true, onProgress: progress.update });
          progress.stop();
          if (opts.json) printJson(report);
          else
            printLines(
              `${file}: ${report.games} games, seasons ${report.seasons?.first ?? '-'}–${report.seasons?.last ?? '-'}; ${rejectedLine(report)}`,
              `teams: ${report.teams}`,
              `events: ${counts(report.events)}`,
              `features: ${counts(report.features)}`,
            );
        } finally {
          progress.stop();
        }
      });
    });

  group
    .command('spreadspoke <file>')
    .description("spreadspoke's scores and closing lines: matched to stored games, lines as features")
    .requiredOption('--teams <file>', "spreadspoke's spreadspoke_teams.csv")
    .option('--skip-invalid', 'import the valid rows; write the rejected ones to <file>.rejected.csv')
    .option('--markets', 'also record each closing line as a market on the closing-line platform')
    .option('--json', 'machine-readable output')
    .option('--wait <seconds>', 'wait for another process holding the embedded database')
    .addHelpText(
      'after',
      '\nImport nfl-538 first: games are matched to the stored events (±1 day, team aliases,\n' +
        'home/away or neutral site); unmatched games become new events.\nExample:\n' +
        '  precog import spreadspoke ../shared/data/nfl/spreadspoke_scores.csv --teams ../shared/data/nfl/spreadspoke_teams.csv --json',
    )
    .action(async (file: string, opts: ImportOptions & { teams: string; markets?: boolean }) => {
      requireInputFile(file, 'scores');
      requireInputFile(opts.teams, 'teams');
      await withDatabase(opts, async (conn) => {
        const progress = createProgress('import spreadspoke', opts.json === true);
        try {
          const report = await importSpreadspoke(conn, file, {
            teamsFile: opts.teams,
            skipInvalid: opts.skipInvalid === true,
            markets: opts.markets === true,
            onProgress: progress.update,
          });
          progress.stop();
          if (opts.json) {
            printJson(report);
            return;
          }
          const m = report.matchRate;
          printLines(
            `${file}: ${report.games} games, seasons ${report.seasons?.first ?? '-'}–${report.seasons?.last ?? '-'}; ${rejectedLine(report)}`,
            `matched to stored games: ${report.matching.matched} (${report.matching.swapped} home/away swapped, ` +
              `${report.matching.offByOneDay} a day apart), new games: ${report.matching.unmatched}`,
            `match rate ${m.seasons.first}–${m.seasons.last}, games with a line: ${m.matched}/${m.games}` +
              (m.rate === null ? '' : ` = ${(100 * m.rate).toFixed(2)}%`) +
              (m.misses.length ? `; misses: ${m.misses.map((x) => `${x.date} ${x.away}@${x.home} (line ${x.line})`).join(', ')}` : ''),
            `events: ${counts(report.events)}`,
            `features: ${counts(report.features)}`,
            ...(report.markets ? [`markets: ${counts(report.markets)}`] : []),
            ...report.scoreDisagreements.map(
              (d) => `score differs: ${d.eventId} (line ${d.line}) spreadspoke ${d.spreadspoke}, stored ${d.stored}`,
            ),
          );
        } finally {
          progress.stop();
        }
      });
    });
}
