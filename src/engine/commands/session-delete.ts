import type { Command } from './command.ts';
import { findSession } from './session-lookup.ts';

export const sessionDeleteCommand: Command = {
  name: '/session delete',
  usage: '/session delete <id>',
  description: 'Delete a session with its messages and memory',
  completion: 'sessions',
  takesArgument: true,
  run(ctx, id) {
    const session = findSession(ctx, id);
    if (!session) return;
    if (ctx.profile.replyIn(session.id)) {
      ctx.reply(`✗ A reply is still streaming in session ${session.id}. Wait for it or /cancel, then delete.`);
      return;
    }
    ctx.runtime.deps.store.sessions.delete(session.id);
    if (ctx.profile.state.sessionId === session.id) ctx.profile.update({ sessionId: '' });
    ctx.announce(`✓ Deleted session ${session.id}`);
    ctx.syncState();
  },
};
