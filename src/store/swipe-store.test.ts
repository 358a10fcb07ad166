import { describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store.ts';

const swipe = (messageId: number, position: number, content: string) => ({
  messageId,
  position,
  content,
  status: 'complete' as const,
  model: 'p/m',
  tokens: 3,
  reasoning: '',
  createdAt: 5,
});

describe('swipe store', () => {
  it('parks alternatives by position, replaces one at the same position, lists them per session', () => {
    const store = createSqliteStore(':memory:', { loadVectorExtension: false });
    const swipes = store.swipes;
    if (!swipes) throw new Error('no swipe store');
    store.sessions.create({ id: 's1', profileId: 'p', worldId: 'w', characterId: 'c', model: '', parentId: null, createdAt: 1 });
    const reply = store.messages.append({ sessionId: 's1', role: 'assistant', content: 'chosen', characterId: 'c' });
    swipes.put(swipe(reply.id, 2, 'third'));
    swipes.put(swipe(reply.id, 0, 'first'));
    swipes.put(swipe(reply.id, 0, 'first, again'));
    expect(swipes.list(reply.id).map((s) => [s.position, s.content])).toEqual([
      [0, 'first, again'],
      [2, 'third'],
    ]);
    expect(swipes.positionsBySession('s1')).toEqual(new Map([[reply.id, [0, 2]]]));
    swipes.remove(reply.id, 2);
    expect(swipes.list(reply.id)).toHaveLength(1);
    // Alternatives go with their message, and with their session.
    store.messages.delete(reply.id);
    expect(swipes.list(reply.id)).toEqual([]);
    store.close();
  });
});
