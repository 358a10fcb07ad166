/**
 * Wires `flower export` (run by ./export.ts, loaded when it runs: the store and the export formats
 * are not needed by the other subcommands).
 */
import type { Command } from 'commander';
import type { ExportCliOptions } from './export.ts';

export function exportCommand(program: Command): void {
  program
    .command('export <session>')
    .description('Export a session as Markdown (md) or a SillyTavern chat (jsonl)')
    .requiredOption('--format <format>', 'md or jsonl')
    .option('-o, --output <file>', 'write to this file (never overwritten) instead of standard output')
    .option('--profile <id>', 'the profile the session belongs to (default: default)')
    .option('--data-dir <dir>', 'where the engine keeps its data')
    .action(async (session: string, options: ExportCliOptions) => {
      process.exitCode = (await import('./export.ts')).runExport(session, options, {
        env: process.env,
        out: (line) => console.log(line),
        err: (line) => console.error(line),
        write: (text) => process.stdout.write(text),
      });
    });
}
