/**
 * Every subcommand, one file each, registered from this one list (it also drives `--help`).
 * `start` is the default when no subcommand is given.
 */
import type { Command } from 'commander';
import { modelsCommand } from './models-command.ts';
import { serveCommand } from './serve.ts';
import { startCommand } from './start.ts';
import { tokenCommand } from './token.ts';
import { tuiCommand } from './tui.ts';
import { importCommand } from './import.ts';
import { exportCommand } from './export.ts';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [startCommand, tuiCommand, serveCommand, modelsCommand, tokenCommand, importCommand, exportCommand];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}
