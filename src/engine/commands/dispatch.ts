/**
 * Finds and runs the command a line names. A line is split on its first two spaces,
 * `/cmd sub rest`; `/cmd sub` is looked up first, then `/cmd`. There is no switch over names:
 * the registry is the only list.
 */
import { shown } from '../events.ts';
import type { Command, CommandContext } from './command.ts';

const LINE = /^(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/;

export interface Resolved {
  command: Command;
  argument: string;
}

/** The command a line names and its argument, or undefined when no command matches. */
export function resolveCommand(list: readonly Command[], line: string): Resolved | undefined {
  const match = LINE.exec(line.trim());
  if (!match) return undefined;
  const head = (match[1] ?? '').toLowerCase();
  const sub = match[2];
  const byName = new Map(list.map((command) => [command.name.toLowerCase(), command]));
  if (sub !== undefined) {
    const command = byName.get(`${head} ${sub.toLowerCase()}`);
    if (command) return { command, argument: (match[3] ?? '').trim() };
  }
  const command = byName.get(head);
  if (!command) return undefined;
  return { command, argument: line.trim().slice(head.length).trim() };
}

export async function dispatchCommand(ctx: CommandContext, line: string): Promise<void> {
  const list = ctx.runtime.commands;
  const resolved = resolveCommand(list, line);
  if (!resolved) {
    ctx.reply(unknownCommandText(list, line));
    return;
  }
  const { command, argument } = resolved;
  if (command.takesArgument && !command.optionalArgument && argument === '') {
    ctx.reply(`✗ Missing argument for ${command.name}. Usage: ${command.usage}`);
    return;
  }
  if (!command.takesArgument && argument !== '') {
    ctx.reply(`✗ ${command.name} takes no argument. Usage: ${command.usage}`);
    return;
  }
  await command.run(ctx, argument);
}

function unknownCommandText(list: readonly Command[], line: string): string {
  const words = line.trim().split(/\s+/);
  const head = (words[0] ?? '').toLowerCase();
  const family = list.filter((command) => command.name.toLowerCase().startsWith(`${head} `));
  if (family.length > 0) {
    const use = family.map((command) => command.usage).join(', ');
    if (words.length === 1) return `✗ '${shown(head)}' needs a subcommand. Use: ${use}`;
    return `✗ Unknown command '${shown(`${head} ${words[1]}`)}'. Use: ${use}`;
  }
  return `✗ Unknown command '${shown(words[0] ?? line)}'. Valid commands: ${list.map((command) => command.name).join(', ')}`;
}
