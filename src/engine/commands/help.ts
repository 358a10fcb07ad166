import type { Command } from './command.ts';

export const helpCommand: Command = {
  name: '/help',
  usage: '/help',
  description: 'List the commands',
  completion: 'none',
  takesArgument: false,
  run(ctx) {
    const lines = ctx.runtime.commands.map((command) => `${command.usage.padEnd(28)} ${command.description}`);
    ctx.reply(['Commands:', ...lines, 'Anything not starting with / is your next move in the story.'].join('\n'));
  },
};
