import { continueReply, lastExchange } from '../history/reply-again.ts';
import type { Command } from './command.ts';
import { idleStage } from './story-session.ts';

/** More of the narrator's last reply, appended to the same message. */
export const continueCommand: Command = {
  name: '/continue',
  usage: '/continue',
  description: "Extend the narrator's last reply where it stopped",
  completion: 'none',
  takesArgument: false,
  run(ctx) {
    const stage = idleStage(ctx);
    if (!stage) return;
    const messages = ctx.runtime.deps.store.messages.list(stage.session.id);
    const { user, reply, lastReply } = lastExchange(messages);
    if (user && !reply) {
      ctx.reply('✗ Your last message has no reply to continue yet. Use /regenerate to get one.');
      return;
    }
    const target = reply ?? lastReply;
    if (!target || target.content.trim() === '') {
      ctx.reply('✗ There is no narrator reply to continue yet. Write your first move.');
      return;
    }
    const stream = continueReply({ rt: ctx.runtime, profile: ctx.profile, stage, messages }, target, user);
    ctx.announce('✓ Continuing the last reply…', { session_id: stage.session.id });
    // The reply leaves the history view and comes back as one growing stream: its text so far, then more.
    ctx.chatHistory(stage.session.id);
    for (const event of stream.catchUp()) ctx.profile.broadcast(event);
  },
};
