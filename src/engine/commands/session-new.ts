import { newSessionId } from '../session-id.ts';
import type { World } from '../content.ts';
import { shown } from '../events.ts';
import { expandMacros } from '../macros/expand.ts';
import type { Command } from './command.ts';

export const sessionNewCommand: Command = {
  name: '/session new',
  usage: '/session new [N]',
  description: "Start a new session in the active world with the active character; N picks the world's Nth alternate greeting",
  completion: 'none',
  takesArgument: true,
  optionalArgument: true,
  run(ctx, argument) {
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
    const greeting = pickGreeting(world, argument);
    if (!greeting.ok) {
      ctx.reply(greeting.message);
      return;
    }
    const { store, random, clock, models } = ctx.runtime.deps;
    const id = newSessionId(random, (candidate) => store.sessions.get(ctx.profile.id, candidate) !== undefined);
    const now = clock.now();
    const user = ctx.content.characters.get(characterId)?.name ?? characterId;
    const greetingText = expandMacros(greeting.text, { char: world.narratorName || world.name, user, random });
    const startMessage = greetingText.trim() === '' ? undefined : greetingText;
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

/** The start message, or with `N` the world's Nth alternate greeting (imported cards have them). */
function pickGreeting(world: World, argument: string): { ok: true; text: string } | { ok: false; message: string } {
  if (argument === '') return { ok: true, text: world.startMessage };
  const count = world.alternateGreetings.length;
  const n = /^\d{1,4}$/.test(argument) ? Number(argument) : NaN;
  const text = n >= 1 ? world.alternateGreetings[n - 1] : undefined;
  if (text !== undefined) return { ok: true, text };
  const valid = count === 0 ? `the world '${world.id}' has no alternate greetings` : `N is 1 to ${count} (the world's alternate greetings)`;
  return { ok: false, message: `✗ '${shown(argument, 20)}' is not an alternate greeting: ${valid}. Usage: /session new [N]` };
}
