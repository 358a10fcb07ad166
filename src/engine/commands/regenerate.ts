import { lastExchange, answerAgain } from '../history/reply-again.ts';
import type { Command } from './command.ts';
import { idleStage } from './story-session.ts';

/**
 * Another reply to the player's last message. Every earlier reply is kept as an alternative
 * (see /swipe); the new one becomes the chosen one once it has text.
 */
export const regenerateCommand: Command = {
  name: '/regenerate',
  usage: '/regenerate',
  description: 'Another reply to your last message; earlier replies stay as alternatives (/swipe)',
  completion: 'none',
  takesArgument: false,
  run(ctx) {
    const stage = idleStage(ctx);
    if (!stage) return;
    const { store } = ctx.runtime.deps;
    const messages = store.messages.list(stage.session.id);
    const { user, reply } = lastExchange(messages);
    if (!user) {
      ctx.reply('✗ Nothing to regenerate: there is no message of yours yet. Write your first move.');
      return;
    }
    answerAgain({ rt: ctx.runtime, profile: ctx.profile, stage, messages }, user, reply);
    ctx.announce('✓ Regenerating the reply…', { session_id: stage.session.id });
    // The reply being replaced leaves the view; the new one streams in its place.
    ctx.chatHistory(stage.session.id);
  },
};
