/**
 * Keeps a session's memories in step with its messages. A memory is built from one exchange (a
 * player message and the reply to it); when messages change, the memories built from them are
 * deleted and every exchange left without a memory gets one again, from the chosen alternative.
 * Messages hidden from the narrator (`/hide`) make no memories.
 */
import type { MessageRecord, Store } from '../ports.ts';

export interface Exchange {
  user: MessageRecord;
  reply: MessageRecord;
}

export const exchangeMemoryText = (userText: string, replyText: string): string => `User: ${userText}\nAI: ${replyText}`;

/**
 * Each reply with text and the player message it answers (system lines in between are skipped).
 * Hidden messages are passed over as if absent: a hidden reply makes no memory, and a reply
 * whose player message is hidden has none to pair with.
 */
export function exchanges(messages: readonly MessageRecord[]): Exchange[] {
  const found: Exchange[] = [];
  let user: MessageRecord | undefined;
  for (const message of messages) {
    if (message.hidden) {
      if (message.role === 'user') user = undefined;
      continue;
    }
    if (message.role === 'user') user = message;
    if (message.role !== 'assistant') continue;
    if (user && message.content.trim() !== '' && message.status !== 'streaming') found.push({ user, reply: message });
    user = undefined;
  }
  return found;
}

/**
 * Deletes memories built from `changedIds` (messages edited, deleted or switched), drops the
 * summary, and rebuilds a memory for every exchange that has none. Call inside a transaction.
 */
export function syncMemories(store: Store, sessionId: string, changedIds: readonly number[], at: number): void {
  store.memory.deleteForMessages(sessionId, [...changedIds]);
  store.summaries?.delete(sessionId);
  const covered = new Set(store.memory.list(sessionId).flatMap((memory) => memory.messageIds));
  for (const { user, reply } of exchanges(store.messages.list(sessionId))) {
    if (covered.has(reply.id)) continue;
    store.memory.add(sessionId, exchangeMemoryText(user.content, reply.content), [user.id, reply.id], at);
  }
}
