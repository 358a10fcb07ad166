/**
 * A SillyTavern chat becomes a new session: every message kept (the chosen swipe as the message,
 * the other swipes as its alternatives; hidden ones stay hidden), its Author's Note as the
 * session's note, with memories built for its exchanges.
 */
import type { ImportedChat } from '../formats/chat-export.ts';
import { syncMemories } from '../history/memory-sync.ts';
import type { RandomSource, SessionRecord, Store } from '../ports.ts';
import { newSessionId } from '../session-id.ts';
import { titleFrom } from '../turn/title.ts';

export interface ChatTarget {
  profileId: string;
  worldId: string;
  characterId: string;
  model: string;
}

export function importChat(store: Store, random: RandomSource, now: number, chat: ImportedChat, target: ChatTarget): SessionRecord {
  const id = newSessionId(random, (candidate) => store.sessions.get(target.profileId, candidate) !== undefined);
  const firstMove = chat.messages.find((message) => message.role === 'user');
  const title = firstMove ? titleFrom(firstMove.content) : `Chat with ${chat.meta.characterName}`;
  return store.transaction(() => {
    const session = store.sessions.create({ id, ...target, title, parentId: null, createdAt: now });
    if (chat.meta.note) store.sessions.setNote(id, chat.meta.note.trim());
    for (const message of chat.messages) {
      const stored = store.messages.append({
        sessionId: id,
        role: message.role,
        content: message.content,
        characterId: target.characterId,
        status: 'complete',
        reasoning: message.reasoning ?? '',
        createdAt: message.createdAt ?? now,
        ...(message.hidden ? { hidden: true } : {}),
      });
      const chosen = message.swipeId ?? 0;
      (message.swipes ?? []).forEach((swipe, position) => {
        if (position === chosen) return;
        store.swipes?.put({
          messageId: stored.id,
          position,
          content: swipe,
          status: 'complete',
          model: '',
          tokens: 0,
          reasoning: '',
          createdAt: stored.createdAt,
        });
      });
    }
    syncMemories(store, id, [], now);
    return session;
  });
}
