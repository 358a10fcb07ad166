import { syncMemories } from '../history/memory-sync.ts';
import type { Command } from './command.ts';
import { activeSession, storyChanged } from './story-session.ts';

/** Removes the last exchange: the player's last message and everything after it (its reply). */
export const undoCommand: Command = {
  name: '/undo',
  usage: '/undo',
  description: 'Remove the last exchange (your last message and its reply)',
  completion: 'none',
  takesArgument: false,
  run(ctx) {
    const session = activeSession(ctx);
    if (!session) return;
    const { store, clock } = ctx.runtime.deps;
    const messages = store.messages.list(session.id);
    const at = messages.findLastIndex((m) => m.role === 'user');
    if (at < 0) {
      ctx.reply('✗ Nothing to undo: there is no message of yours in this session.');
      return;
    }
    const removed = messages.slice(at).map((m) => m.id);
    store.transaction(() => {
      for (const id of removed) store.messages.delete(id);
      syncMemories(store, session.id, removed, clock.now());
    });
    storyChanged(ctx, session.id, `✓ Undid the last exchange (${removed.length} message${removed.length === 1 ? '' : 's'} removed)`);
  },
};
