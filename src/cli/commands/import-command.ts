/**
 * Wires `flower import` (run by ./import.ts, loaded when it runs: the store, the content files and
 * the card and lorebook formats are not needed by the other subcommands).
 */
import type { Command } from 'commander';
import type { ImportCliOptions } from './import.ts';

export function importCommand(program: Command): void {
  program
    .command('import <file>')
    .description('Import a character card (JSON, PNG, CHARX) as a world, a lorebook into --world, or a SillyTavern chat (JSONL) as a session')
    .option('--world <id>', 'the world a lorebook is added to, or a chat is played in')
    .option('--character <id>', 'the player character of an imported chat')
    .option('--profile <id>', 'the profile an imported chat belongs to (default: default)')
    .option('--data-dir <dir>', 'where the engine keeps its data')
    .action(async (file: string, options: ImportCliOptions) => {
      process.exitCode = (await import('./import.ts')).runImport(file, options, { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) });
    });
}
