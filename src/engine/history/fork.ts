/**
 * A branch of a session: a new session holding copies of the parent's first N visible messages
 * (with their alternatives and hidden flags) and its author's note, recorded with its parent,
 * with memories built for what it holds.
 */
import type { RandomSource, SessionRecord, Store } from '../ports.ts';
import { newSessionId } from '../session-id.ts';
import { syncMemories } from './memory-sync.ts';
import { visibleMessages } from './numbering.ts';

export function forkSession(store: Store, random: RandomSource, parent: SessionRecord, upTo: number, now: number): SessionRecord {
  const copied = visibleMessages(store, parent.id).slice(0, upTo);
  const id = newSessionId(random, (candidate) => store.sessions.get(parent.profileId, candidate) !== undefined);
  return store.transaction(() => {
    const session = store.sessions.create({
      id,
      profileId: parent.profileId,
      worldId: parent.worldId,
      characterId: parent.characterId,
      model: parent.model,
      title: parent.title,
      parentId: parent.id,
      createdAt: now,
    });
    const note = store.sessions.note(parent.id);
    if (note !== '') store.sessions.setNote(id, note);
    for (const { message } of copied) {
      const copy = store.messages.append({
        sessionId: id,
        role: message.role,
        content: message.content,
        characterId: message.characterId,
        status: message.status,
        model: message.model,
        tokens: message.tokens,
        reasoning: message.reasoning,
        createdAt: message.createdAt,
        ...(message.hidden ? { hidden: true } : {}),
      });
      for (const swipe of store.swipes?.list(message.id) ?? []) store.swipes?.put({ ...swipe, messageId: copy.id });
    }
    syncMemories(store, id, [], now);
    return session;
  });
}
