import type { Command } from './command.ts';

export const cancelCommand: Command = {
  name: '/cancel',
  usage: '/cancel',
  description: 'Stop the reply that is streaming (the text so far is kept)',
  completion: 'none',
  takesArgument: false,
  async run(ctx) {
    const replies = ctx.profile.activeReplies();
    if (replies.length === 0) {
      ctx.reply('✗ Nothing to cancel: no reply is streaming.');
      return;
    }
    // Cancel first so no chunk follows the notice; each reply then sends its own chat_end.
    for (const reply of replies) reply.cancel();
    ctx.announce('✗ Stream cancelled by user.');
    await Promise.all(replies.map((reply) => reply.finished));
  },
};
