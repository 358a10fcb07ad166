import { chunkLore } from '../chunk-lore.ts';
import type { Command } from './command.ts';

export const worldAttachLoreCommand: Command = {
  name: '/world attach_lore',
  usage: '/world attach_lore <text>',
  description: 'Add lore to the active world (searchable at once)',
  completion: 'none',
  takesArgument: true,
  run(ctx, text) {
    const worldId = ctx.profile.state.worldId;
    if (!worldId || !ctx.content.worlds.has(worldId)) {
      ctx.reply('✗ No active world to attach lore to. Pick one first: /world select <id>');
      return;
    }
    const { store } = ctx.runtime.deps;
    // Long text is cut like file lore, so every piece stays a useful retrieval unit.
    store.transaction(() => {
      for (const chunk of chunkLore(text)) store.lore.attach(worldId, chunk);
    });
    ctx.runtime.indexChanged?.();
    ctx.announce('Lore attached successfully.', { world_id: worldId });
  },
};
