import { newSessionId } from '../session-id.ts';
import type { Command } from './command.ts';

export const sessionNewCommand: Command = {
  name: '/session new',
  usage: '/session new',
  description: 'Start a new session in the active world with the active character',
  completion: 'none',
  takesArgument: false,
  run(ctx) {
    const { worldId, characterId } = ctx.profile.state;
    if (!worldId || !characterId) {
      ctx.reply('✗ Select world/char first.');
      return;
    }
    const world = ctx.content.worlds.get(worldId);
    if (!world) {
      ctx.reply(`✗ The active world '${worldId}' no longer exists. Pick one with /world select <id>.`);
      return;
    }
    if (!ctx.content.characters.has(characterId)) {
      ctx.reply(`✗ The active character '${characterId}' no longer exists. Pick one with /character select <id>.`);
      return;
    }
    const { store, random, clock, models } = ctx.runtime.deps;
    const id = newSessionId(random, (candidate) => store.sessions.get(ctx.profile.id, candidate) !== undefined);
    const now = clock.now();
    const startMessage = world.startMessage.trim() === '' ? undefined : world.startMessage;
    store.sessions.create(
      {
        id,
        profileId: ctx.profile.id,
        worldId,
        characterId,
        model: ctx.profile.state.model || (models.defaultModel() ?? ''),
        parentId: null,
        createdAt: now,
      },
      startMessage,
    );
    ctx.profile.update({ sessionId: id });
    ctx.announce(`✓ New session: ${id}`, { session_id: id });
    ctx.syncState();
    ctx.chatHistory(id);
  },
};
