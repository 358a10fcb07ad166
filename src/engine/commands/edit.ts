import { shown } from '../events.ts';
import { syncMemories } from '../history/memory-sync.ts';
import { answerAgain, lastExchange } from '../history/reply-again.ts';
import type { Command, CommandContext } from './command.ts';
import { activeSession, idleStage, numberedMessage, storyChanged } from './story-session.ts';

const USAGE = '/edit [N] <text>';
const NUMBERED = /^(\d{1,9})\s+([\s\S]+)$/;

/**
 * `/edit <text>` rewrites the player's last message and asks for a new reply (the old replies
 * stay as alternatives). `/edit N <text>` rewrites message N as numbered in the chat, any role,
 * without a new reply. Memories built from the edited message are rebuilt, the summary dropped.
 */
export const editCommand: Command = {
  name: '/edit',
  usage: USAGE,
  description: 'Rewrite your last message and get a new reply, or rewrite message N',
  completion: 'none',
  takesArgument: true,
  run(ctx, argument) {
    const numbered = NUMBERED.exec(argument);
    if (numbered) {
      editNumbered(ctx, numbered[1] ?? '', (numbered[2] ?? '').trim());
      return;
    }
    editLast(ctx, argument);
  },
};

function editLast(ctx: CommandContext, text: string): void {
  const stage = idleStage(ctx);
  if (!stage) return;
  const { store } = ctx.runtime.deps;
  const sessionId = stage.session.id;
  const before = store.messages.list(sessionId);
  const { user, reply } = lastExchange(before);
  if (!user) {
    ctx.reply(`✗ There is no message of yours to edit yet. To edit another message: ${USAGE} (N as numbered in the chat).`);
    return;
  }
  store.transaction(() => {
    store.messages.update(user.id, { content: text });
    store.memory.deleteForMessages(sessionId, [user.id]);
    store.summaries?.delete(sessionId);
  });
  const edited = { ...user, content: text };
  const messages = before.map((m) => (m.id === user.id ? edited : m));
  answerAgain({ rt: ctx.runtime, profile: ctx.profile, stage, messages }, edited, reply);
  ctx.announce('✓ Edited your last message; regenerating the reply…', { session_id: sessionId });
  ctx.chatHistory(sessionId);
}

function editNumbered(ctx: CommandContext, number: string, text: string): void {
  const session = activeSession(ctx);
  if (!session) return;
  const found = numberedMessage(ctx, session.id, number, USAGE);
  if (!found) return;
  if (text === '') {
    ctx.reply(`✗ No new text for message ${found.n}. Usage: ${USAGE}`);
    return;
  }
  const { store, clock } = ctx.runtime.deps;
  store.transaction(() => {
    store.messages.update(found.message.id, { content: text });
    syncMemories(store, session.id, [found.message.id], clock.now());
  });
  storyChanged(ctx, session.id, `✓ Edited message ${found.n} ('${shown(text, 40)}')`);
}
