import { isCoreError } from '../core/errors';
import { readPackageMeta } from '../core/app-meta';
import { UsageError } from './cli-error';
import { parseCommandArgs, type CliIo, type Command } from './command';
import { auditCommand } from './commands/audit';
import { trainCommand } from './commands/train';
import { infoCommand } from './commands/info';
import { projectsCommand } from './commands/projects';
import { exportCommand } from './commands/export';
import { predictCommand } from './commands/predict';
import { evaluateCommand } from './commands/evaluate';

/** Every subcommand; later features (train, export, predict, evaluate, bench) add theirs here. */
export const commands: Command[] = [infoCommand, projectsCommand, auditCommand, trainCommand, exportCommand, predictCommand, evaluateCommand];

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'ModelPilot: from a business need to a trained, exported model, on your own machine.',
    '',
    'usage: modelpilot <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    '  --help, -h     show this help (or a command\'s usage: modelpilot <command> --help)',
    '  --version, -v  print the version',
    '',
    'environment: MODELPILOT_HOME sets the projects folder; MODELPILOT_BACKEND forces a compute backend.',
  ].join('\n');
}

/** Runs the CLI and returns the exit code: 0 done, 1 the work itself failed, 2 a user mistake. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(readPackageMeta().version);
    return 0;
  }
  try {
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command "${name}"; run modelpilot --help for the list`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`usage: ${command.usage}\n${command.summary}${command.help ? `\n\n${command.help}` : ''}`);
      return 0;
    }
    return await command.run(parseCommandArgs(command, rest), io);
  } catch (error) {
    if (error instanceof UsageError || isCoreError(error)) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    io.err(`error: ${(error as Error).message ?? String(error)}`);
    if (process.env.MODELPILOT_DEBUG) io.err((error as Error).stack ?? '');
    return 1;
  }
}
