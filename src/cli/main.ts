import { Command, CommanderError } from 'commander';
import { registerDatasetCommands } from './dataset-commands.js';
import { registerDbCommands } from './db-commands.js';
import { registerDemoCommands } from './demo-commands.js';
import { registerDoctorCommands } from './doctor-commands.js';
import { registerEloCommands } from './elo-commands.js';
import { registerFeaturesCommands } from './features-commands.js';
import { registerImportCommands } from './import-commands.js';
import { registerTrainCommands } from './train-commands.js';
import { registerUiCommands } from './ui-commands.js';
import { EXIT, reportError } from './output.js';

/** Builds the `precog` program; every command group registers itself here. */
export function buildProgram(): Command {
  const program = new Command('precog')
    .description('Precog: feature store and training pipeline for sports prediction markets')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
    .exitOverride();
  registerDbCommands(program);
  registerFeaturesCommands(program);
  registerImportCommands(program);
  registerEloCommands(program);
  registerDatasetCommands(program);
  registerTrainCommands(program);
  registerUiCommands(program);
  registerDemoCommands(program);
  registerDoctorCommands(program);
  program.addHelpText('after', '\nExamples:\n  precog demo\n  precog doctor --json\n  precog features list\n  precog <group> --help');
  for (const group of program.commands.filter((c) => c.commands.length > 0)) {
    group.addHelpText('after', `\nExample:\n  precog ${group.name()} ${group.commands[0]!.name()} --help`);
  }
  return program;
}

/** Runs the CLI and returns the exit status (never calls process.exit itself). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, Boolean(program.opts()['debug']));
  }
}
