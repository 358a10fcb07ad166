import type { Command } from './command.ts';
import { findSession } from './session-lookup.ts';

export const sessionContinueCommand: Command = {
  name: '/session continue',
  usage: '/session continue <id>',
  description: 'Resume a session; its world, character and model become active',
  completion: 'sessions',
  takesArgument: true,
  run(ctx, id) {
    const session = findSession(ctx, id);
    if (!session) return;
    const { state } = ctx.profile;
    ctx.profile.update({
      sessionId: session.id,
      worldId: session.worldId,
      characterId: session.characterId,
      model: session.model || state.model,
      modelConfirmed: session.model ? true : state.modelConfirmed,
    });
    ctx.runtime.deps.store.sessions.touch(session.id, ctx.runtime.deps.clock.now());
    ctx.chatHistory(session.id);
    ctx.syncState();
    // Continuing a session whose reply is streaming: clients get what it has so far, then the rest.
    for (const event of ctx.profile.replyIn(session.id)?.catchUp() ?? []) ctx.profile.broadcast(event);
  },
};
