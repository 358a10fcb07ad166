/**
 * Every subcommand, one file each, registered from this one list (it also drives `--help`).
 * `start` is the default when no subcommand is given. A registration file loads what its command
 * runs only when it runs (`*-command.ts` beside the runner, or a dynamic import in the action),
 * so each command, `serve` and the `start` launcher above all, loads only its own modules.
 */
import type { Command } from 'commander';
import { modelsCommand } from './models-command.ts';
import { serveCommand } from './serve.ts';
import { startCommand } from './start.ts';
import { tokenCommand } from './token-command.ts';
import { tuiCommand } from './tui.ts';
import { importCommand } from './import-command.ts';
import { exportCommand } from './export-command.ts';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [startCommand, tuiCommand, serveCommand, modelsCommand, tokenCommand, importCommand, exportCommand];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}
