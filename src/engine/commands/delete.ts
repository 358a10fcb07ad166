import { syncMemories } from '../history/memory-sync.ts';
import type { Command } from './command.ts';
import { activeSession, numberedMessage, storyChanged } from './story-session.ts';

const USAGE = '/delete <N>';

/** Deletes message N as numbered in the chat (with its alternatives); memories are rebuilt. */
export const deleteCommand: Command = {
  name: '/delete',
  usage: USAGE,
  description: 'Delete message N (as numbered in the chat)',
  completion: 'none',
  takesArgument: true,
  run(ctx, argument) {
    const session = activeSession(ctx);
    if (!session) return;
    const found = numberedMessage(ctx, session.id, argument, USAGE);
    if (!found) return;
    const { store, clock } = ctx.runtime.deps;
    store.transaction(() => {
      store.messages.delete(found.message.id);
      syncMemories(store, session.id, [found.message.id], clock.now());
    });
    storyChanged(ctx, session.id, `✓ Deleted message ${found.n}`);
  },
};
