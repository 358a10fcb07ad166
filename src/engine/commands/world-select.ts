import type { Command } from './command.ts';
import { findContent } from './lookup.ts';

export const worldSelectCommand: Command = {
  name: '/world select',
  usage: '/world select <id>',
  description: 'Set the active world',
  completion: 'worlds',
  takesArgument: true,
  run(ctx, id) {
    const world = findContent(ctx, 'world', ctx.content.worlds, id);
    if (!world) return;
    ctx.profile.update({ worldId: world.id });
    ctx.announce(`Active world set to ${world.id}`, { world_id: world.id });
    ctx.syncState();
  },
};
