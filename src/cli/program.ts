/**
 * The command-line program: global flags, the subcommand list, and one place that turns
 * failures into exit codes (2 for usage, 1 for other expected failures) and one-line messages.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { isExpectedError } from './errors.ts';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const EXIT_USAGE = 2;
const QUIET_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

const oneLine = (text: string): string => text.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');

export function createProgram(io: CliIo): Command {
  const program = new Command('flower')
    .description('Flower: a local-first roleplay engine and its terminal UI')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`✗ ${oneLine(text)} (see flower --help)\n`),
    });
  registerCommands(program);
  return program;
}

/** Runs the CLI with user arguments (no `node script` prefix) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return QUIET_EXITS.has(error.code) ? 0 : EXIT_USAGE;
    if (isExpectedError(error)) {
      io.stderr.write(`✗ ${error.message}\n`);
      return error.exitCode ?? 1;
    }
    io.stderr.write(`✗ Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
