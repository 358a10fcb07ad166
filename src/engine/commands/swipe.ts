import { answerAgain, lastExchange } from '../history/reply-again.ts';
import { syncMemories } from '../history/memory-sync.ts';
import { chooseAlternative, messageSwipes } from '../history/swipes.ts';
import { shown } from '../events.ts';
import type { Command } from './command.ts';
import { idleStage, storyChanged } from './story-session.ts';

const USAGE = '/swipe next|prev';

/**
 * Chooses among the alternatives of the last reply. Only the chosen one is history and memory:
 * the exchange's memory is rebuilt on a switch. As in SillyTavern, `next` past the last
 * alternative asks the narrator for a new one (like /regenerate).
 */
export const swipeCommand: Command = {
  name: '/swipe',
  usage: USAGE,
  description: 'Choose another alternative of the last reply (next past the last one generates a new one)',
  completion: 'none',
  takesArgument: true,
  run(ctx, argument) {
    const direction = argument.toLowerCase();
    if (direction !== 'next' && direction !== 'prev') {
      ctx.reply(`✗ Unknown direction '${shown(argument)}': use next or prev. Usage: ${USAGE}`);
      return;
    }
    const stage = idleStage(ctx);
    if (!stage) return;
    const { store, clock } = ctx.runtime.deps;
    if (!store.swipes) {
      ctx.reply('✗ This store keeps no alternative replies.');
      return;
    }
    const messages = store.messages.list(stage.session.id);
    const { user, reply } = lastExchange(messages);
    if (!user || !reply || reply.content === '') {
      ctx.reply('✗ There is no reply to your last message to swipe. Write a move, or use /regenerate.');
      return;
    }
    const { index, count } = messageSwipes(store, reply.id);
    const target = direction === 'next' ? index + 1 : index - 1;
    if (target < 0) {
      ctx.reply(`✗ Already at the first alternative (1/${count}). Use /swipe next.`);
      return;
    }
    if (target >= count) {
      answerAgain({ rt: ctx.runtime, profile: ctx.profile, stage, messages }, user, reply);
      ctx.announce(`✓ That was the last alternative (${count}/${count}): generating a new one…`, { session_id: stage.session.id });
      ctx.chatHistory(stage.session.id);
      return;
    }
    store.transaction(() => {
      chooseAlternative(store, reply, target);
      syncMemories(store, stage.session.id, [reply.id], clock.now());
    });
    storyChanged(ctx, stage.session.id, `✓ Alternative ${target + 1}/${count}`);
  },
};
