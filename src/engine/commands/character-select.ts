import type { Command } from './command.ts';
import { findContent } from './lookup.ts';

export const characterSelectCommand: Command = {
  name: '/character select',
  usage: '/character select <id>',
  description: 'Set the active player character',
  completion: 'characters',
  takesArgument: true,
  run(ctx, id) {
    const character = findContent(ctx, 'character', ctx.content.characters, id);
    if (!character) return;
    ctx.profile.update({ characterId: character.id });
    ctx.announce(`Active character set to ${character.id}`, { character_id: character.id });
    ctx.syncState();
  },
};
