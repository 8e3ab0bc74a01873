import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** One subcommand: its usage line, its options, and what it does. Exit code 0 on success. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer help (options, defaults) printed by `modelpilot <command> --help`. */
  help?: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CliIo): Promise<number>;
}

/** Strict option parsing: an unknown flag is a usage error, not a silent no-op. */
export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (usage: ${command.usage})`);
  }
}
