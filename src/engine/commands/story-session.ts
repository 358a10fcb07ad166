/** Shared checks of the commands that change the active session's story. */
import type { NumberedMessage } from '../history/numbering.ts';
import { parseMessageNumber, visibleMessages } from '../history/numbering.ts';
import type { SessionRecord } from '../ports.ts';
import { resolveStage, STILL_STREAMING, type Stage } from '../turn/stage.ts';
import type { CommandContext } from './command.ts';

export const NO_SESSION = '✗ No active session: start one with /session new or pick one with /session continue <id>.';

/** The active session, or a `✗` to the asker. `idle` also refuses while a reply streams in it. */
export function activeSession(ctx: CommandContext, idle = true): SessionRecord | undefined {
  const { sessionId } = ctx.profile.state;
  const session = sessionId ? ctx.runtime.deps.store.sessions.get(ctx.profile.id, sessionId) : undefined;
  if (!session) {
    ctx.reply(NO_SESSION);
    return undefined;
  }
  if (idle && ctx.profile.replyIn(session.id)) {
    ctx.reply(STILL_STREAMING);
    return undefined;
  }
  return session;
}

/** Everything a new reply needs (world, character, model), or a `✗` to the asker. */
export function idleStage(ctx: CommandContext): Stage | undefined {
  if (ctx.runtime.isShuttingDown()) {
    ctx.reply('✗ The engine is shutting down; nothing was changed.');
    return undefined;
  }
  const resolved = resolveStage(ctx.runtime, ctx.profile);
  if (!resolved.ok) {
    ctx.reply(resolved.message);
    return undefined;
  }
  if (ctx.profile.replyIn(resolved.stage.session.id)) {
    ctx.reply(STILL_STREAMING);
    return undefined;
  }
  return resolved.stage;
}

/** Message `text` (a number as shown in the chat) of the session, or a `✗` naming the valid range. */
export function numberedMessage(ctx: CommandContext, sessionId: string, text: string, usage: string): NumberedMessage | undefined {
  const numbered = visibleMessages(ctx.runtime.deps.store, sessionId);
  const n = parseMessageNumber(text);
  const found = n === undefined ? undefined : numbered[n - 1];
  if (found) return found;
  const range = numbered.length === 0 ? 'the session has no messages yet' : `messages are numbered 1 to ${numbered.length}`;
  ctx.reply(`✗ '${text.length > 20 ? `${text.slice(0, 20)}…` : text}' is not a message number: ${range}. Usage: ${usage}`);
  return undefined;
}

/**
 * Tells every client the story changed (the notice, then the session's fresh history) and lets
 * background upkeep (summary, embeddings) catch up with the rebuilt memories.
 */
export function storyChanged(ctx: CommandContext, sessionId: string, notice: string): void {
  ctx.announce(notice, { session_id: sessionId });
  ctx.chatHistory(sessionId);
  ctx.runtime.afterReply?.(sessionId);
}
