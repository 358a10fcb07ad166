/**
 * The behaviour every `Store` adapter must show, as one suite that takes a factory (the way
 * hono runs one router test over every router). `sqlite-store.test.ts` runs it for `:memory:`
 * and for a real file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSession, ProfileState, Store } from '../engine/ports.ts';

const session = (id: string, overrides: Partial<NewSession> = {}): NewSession => ({
  id,
  profileId: 'default',
  worldId: 'harbor',
  characterId: 'wren',
  model: 'local/llama',
  parentId: null,
  createdAt: 1_000,
  ...overrides,
});

const state: ProfileState = {
  model: 'local/llama',
  modelConfirmed: true,
  worldId: 'harbor',
  characterId: 'wren',
  activeRules: ['slow-burn', 'no-gore'],
  sessionId: 's1',
};

export function describeStoreContract(label: string, open: () => Store): void {
  describe(`Store contract: ${label}`, () => {
    let store: Store;
    beforeEach(() => {
      store = open();
    });
    afterEach(() => {
      store.close();
    });

    describe('profiles', () => {
      it('loads nothing for an unknown profile and round-trips a saved state', () => {
        expect(store.profiles.load('default')).toBeUndefined();
        store.profiles.save('default', state);
        expect(store.profiles.load('default')).toEqual(state);
      });

      it('overwrites on save and keeps profiles apart', () => {
        store.profiles.save('default', state);
        store.profiles.save('other', { ...state, activeRules: [], modelConfirmed: false });
        store.profiles.save('default', { ...state, worldId: 'forest' });
        expect(store.profiles.load('default')?.worldId).toBe('forest');
        expect(store.profiles.load('other')).toEqual({ ...state, activeRules: [], modelConfirmed: false });
      });
    });

    describe('sessions', () => {
      it('creates a session with its start message in one go', () => {
        const created = store.sessions.create(session('s1', { title: 'Dawn' }), 'The tide is out.');
        expect(created).toEqual({ ...session('s1'), title: 'Dawn', lastUsedAt: 1_000 });
        expect(store.sessions.get('default', 's1')).toEqual(created);
        const [start, ...rest] = store.messages.list('s1');
        expect(rest).toEqual([]);
        expect(start).toMatchObject({ role: 'assistant', status: 'complete', content: 'The tide is out.', sessionId: 's1' });
      });

      it('creates without a start message and defaults the title to empty', () => {
        expect(store.sessions.create(session('s1')).title).toBe('');
        expect(store.messages.count('s1')).toBe(0);
      });

      it('never shows one profile the sessions of another', () => {
        store.sessions.create(session('mine'));
        store.sessions.create(session('theirs', { profileId: 'bob' }));
        expect(store.sessions.get('bob', 'mine')).toBeUndefined();
        expect(store.sessions.get('default', 'theirs')).toBeUndefined();
        expect(store.sessions.listRecent('default', 10).map((s) => s.id)).toEqual(['mine']);
        expect(store.sessions.listRecent('bob', 10).map((s) => s.id)).toEqual(['theirs']);
      });

      it('lists most recently used first, up to the limit', () => {
        store.sessions.create(session('a', { createdAt: 1 }));
        store.sessions.create(session('b', { createdAt: 2 }));
        store.sessions.create(session('c', { createdAt: 3 }));
        store.sessions.touch('a', 10);
        expect(store.sessions.listRecent('default', 10).map((s) => s.id)).toEqual(['a', 'c', 'b']);
        expect(store.sessions.listRecent('default', 2).map((s) => s.id)).toEqual(['a', 'c']);
        expect(store.sessions.listRecent('default', 0)).toEqual([]);
        expect(store.sessions.get('default', 'a')?.lastUsedAt).toBe(10);
      });

      it('sets a title, and ignores writes to a session that is gone', () => {
        store.sessions.create(session('s1'));
        store.sessions.setTitle('s1', 'The lighthouse');
        expect(store.sessions.get('default', 's1')?.title).toBe('The lighthouse');
        expect(() => store.sessions.setTitle('gone', 'x')).not.toThrow();
        expect(() => store.sessions.touch('gone', 5)).not.toThrow();
      });

      it("keeps each session's author's note, clears it with an empty text and forgets it with the session", () => {
        store.sessions.create(session('s1'));
        store.sessions.create(session('s2'));
        expect(store.sessions.note('s1')).toBe('');
        store.sessions.setNote('s1', 'Keep the tone grim; Mara is hiding something.');
        expect(store.sessions.note('s1')).toBe('Keep the tone grim; Mara is hiding something.');
        expect(store.sessions.note('s2')).toBe('');
        store.sessions.setNote('s1', '');
        expect(store.sessions.note('s1')).toBe('');
        store.sessions.setNote('s2', 'A storm is coming.');
        store.sessions.delete('s2');
        expect(store.sessions.note('s2')).toBe('');
        expect(() => store.sessions.setNote('gone', 'x')).not.toThrow();
        // The note is not part of the session record: records read as before.
        expect(store.sessions.get('default', 's1')).not.toHaveProperty('note');
      });

      it('keeps the fork link and clears it when the parent is deleted', () => {
        store.sessions.create(session('parent'));
        store.sessions.create(session('child', { parentId: 'parent' }));
        expect(store.sessions.get('default', 'child')?.parentId).toBe('parent');
        store.sessions.delete('parent');
        expect(store.sessions.get('default', 'child')?.parentId).toBeNull();
      });

      it('deletes a session with its messages and memories, leaving other sessions whole', () => {
        store.sessions.create(session('doomed'), 'start');
        store.sessions.create(session('kept'), 'start');
        const doomedMessage = store.messages.append({ sessionId: 'doomed', role: 'user', content: 'lantern', characterId: 'wren' });
        store.messages.append({ sessionId: 'kept', role: 'user', content: 'lantern', characterId: 'wren' });
        store.memory.add('doomed', 'the lantern was lit', [doomedMessage.id], 5);
        store.memory.add('kept', 'the lantern was lit', [], 5);

        store.sessions.delete('doomed');

        expect(store.sessions.get('default', 'doomed')).toBeUndefined();
        expect(store.messages.list('doomed')).toEqual([]);
        expect(store.messages.get(doomedMessage.id)).toBeUndefined();
        expect(store.memory.list('doomed')).toEqual([]);
        expect(store.memory.search('doomed', 'lantern', 5)).toEqual([]);
        expect(store.messages.count('kept')).toBe(2);
        expect(store.memory.search('kept', 'lantern', 5)).toHaveLength(1);
      });
    });

    describe('messages', () => {
      beforeEach(() => {
        store.sessions.create(session('s1'));
      });

      it('appends with defaults and reads back', () => {
        const message = store.messages.append({ sessionId: 's1', role: 'user', content: 'Hello', characterId: 'wren', createdAt: 7 });
        expect(message).toEqual({
          id: message.id,
          sessionId: 's1',
          role: 'user',
          content: 'Hello',
          characterId: 'wren',
          status: 'complete',
          model: '',
          tokens: 0,
          reasoning: '',
          createdAt: 7,
        });
        expect(store.messages.get(message.id)).toEqual(message);
        expect(store.messages.get(999_999)).toBeUndefined();
      });

      it('patches only the given fields', () => {
        const reply = store.messages.append({
          sessionId: 's1', role: 'assistant', content: '', characterId: 'wren', status: 'streaming', model: 'local/llama',
        });
        store.messages.update(reply.id, { content: 'The door creaks.', tokens: 4 });
        store.messages.update(reply.id, { status: 'cancelled', reasoning: 'thinking' });
        expect(store.messages.get(reply.id)).toEqual({
          ...reply, content: 'The door creaks.', tokens: 4, status: 'cancelled', reasoning: 'thinking',
        });
        store.messages.update(reply.id, { content: '' });
        expect(store.messages.get(reply.id)?.content).toBe('');
      });

      it('hides and shows a message; only a hidden one carries the flag, in every read', () => {
        const shown = store.messages.append({ sessionId: 's1', role: 'user', content: 'I wave.', characterId: 'wren' });
        const hidden = store.messages.append({ sessionId: 's1', role: 'assistant', content: 'A secret.', characterId: 'wren', hidden: true });
        expect(hidden.hidden).toBe(true);
        expect(shown).not.toHaveProperty('hidden');
        // Read the window first so the update must keep it in step.
        expect(store.messages.recent('s1', 10).map((m) => m.hidden ?? false)).toEqual([false, true]);
        store.messages.update(shown.id, { hidden: true });
        store.messages.update(hidden.id, { hidden: false });
        store.messages.update(shown.id, { content: 'I wave twice.' });
        const reads = [store.messages.list('s1'), store.messages.recent('s1', 10), store.messages.between('s1', 0, Number.MAX_SAFE_INTEGER, 10)];
        for (const read of reads) expect(read.map((m) => [m.content, m.hidden ?? false])).toEqual([['I wave twice.', true], ['A secret.', false]]);
        expect(store.messages.get(shown.id)?.hidden).toBe(true);
        expect(store.messages.get(hidden.id)).not.toHaveProperty('hidden');
      });

      it('lists oldest first, gives the newest N oldest first, counts and deletes', () => {
        const ids = Array.from({ length: 5 }, (_, i) =>
          store.messages.append({ sessionId: 's1', role: i % 2 ? 'assistant' : 'user', content: `m${i}`, characterId: 'wren' }).id,
        );
        expect(store.messages.list('s1').map((m) => m.content)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
        expect(store.messages.recent('s1', 2).map((m) => m.content)).toEqual(['m3', 'm4']);
        expect(store.messages.recent('s1', 50)).toHaveLength(5);
        expect(store.messages.recent('s1', 0)).toEqual([]);
        expect(store.messages.count('s1')).toBe(5);
        store.messages.delete(ids[2] ?? -1);
        expect(store.messages.list('s1').map((m) => m.content)).toEqual(['m0', 'm1', 'm3', 'm4']);
        expect(store.messages.count('nobody')).toBe(0);
      });

      it('gives the newest N messages strictly between two ids, oldest first', () => {
        const ids = Array.from({ length: 6 }, (_, i) => store.messages.append({ sessionId: 's1', role: 'user', content: `m${i}`, characterId: 'wren' }).id);
        const [first = 0, , , , , last = 0] = ids;
        expect(store.messages.between('s1', first, last, 10).map((m) => m.content)).toEqual(['m1', 'm2', 'm3', 'm4']);
        expect(store.messages.between('s1', first, last, 2).map((m) => m.content)).toEqual(['m3', 'm4']);
        expect(store.messages.between('s1', 0, Number.MAX_SAFE_INTEGER, 0)).toEqual([]);
        expect(store.messages.between('other', 0, Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
      });

      it('marks replies left streaming as interrupted and counts them', () => {
        const cut = store.messages.append({ sessionId: 's1', role: 'assistant', content: 'half a', characterId: 'wren', status: 'streaming' });
        const done = store.messages.append({ sessionId: 's1', role: 'assistant', content: 'whole', characterId: 'wren' });
        expect(store.messages.recoverInterrupted()).toBe(1);
        expect(store.messages.get(cut.id)).toMatchObject({ status: 'interrupted', content: 'half a' });
        expect(store.messages.get(done.id)?.status).toBe('complete');
        expect(store.messages.recoverInterrupted()).toBe(0);
      });

      it('refuses a message for a session that does not exist', () => {
        expect(() => store.messages.append({ sessionId: 'nope', role: 'user', content: 'x', characterId: 'wren' })).toThrow(
          expect.objectContaining({ name: 'StoreError' }),
        );
      });
    });

    describe('lore', () => {
      const world = { id: 'harbor', lore: 'irrelevant to the store' };

      it('indexes a world once and skips re-indexing unchanged lore', () => {
        store.lore.syncWorld(world, ['The lighthouse keeper hoards brass keys.', 'Gulls nest on the old pier.']);
        const first = store.lore.search('harbor', 'keeper', 5);
        store.lore.syncWorld(world, ['The lighthouse keeper hoards brass keys.', 'Gulls nest on the old pier.']);
        expect(store.lore.count('harbor')).toBe(2);
        expect(store.lore.search('harbor', 'keeper', 5)).toEqual(first);
      });

      it('replaces file chunks when lore changes and keeps attached chunks', () => {
        store.lore.syncWorld(world, ['Old lore about smugglers.']);
        const attached = store.lore.attach('harbor', 'The mayor owes the smugglers money.');
        store.lore.syncWorld(world, ['New lore about fishermen.', 'And their boats.']);
        expect(store.lore.count('harbor')).toBe(3);
        expect(store.lore.search('harbor', 'smugglers', 5).map((hit) => hit.item)).toEqual([attached]);
        expect(store.lore.search('harbor', 'fishermen', 5)[0]?.item).toMatchObject({ source: 'file', worldId: 'harbor' });
      });

      it('makes an attached chunk searchable at once', () => {
        const chunk = store.lore.attach('harbor', 'A silver bell rings at midnight.');
        expect(chunk).toEqual({ id: chunk.id, worldId: 'harbor', text: 'A silver bell rings at midnight.', source: 'attached' });
        expect(store.lore.search('harbor', 'what rings at midnight?', 3).map((hit) => hit.item)).toEqual([chunk]);
      });

      it('searches only the given world, ranks best first and honours the limit', () => {
        store.lore.syncWorld(world, ['Dragons sleep under the harbor.', 'Dragons dragons dragons everywhere.', 'Fish.']);
        store.lore.syncWorld({ id: 'forest', lore: '' }, ['Dragons nest in the forest.']);
        const hits = store.lore.search('harbor', 'dragons', 10);
        expect(hits.map((hit) => hit.item.worldId)).toEqual(['harbor', 'harbor']);
        expect(hits[0]?.item.text).toBe('Dragons dragons dragons everywhere.');
        expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Infinity);
        expect(store.lore.search('harbor', 'dragons', 1)).toHaveLength(1);
        expect(store.lore.search('harbor', '', 5)).toEqual([]);
        expect(store.lore.count('forest')).toBe(1);
        expect(store.lore.count('nowhere')).toBe(0);
      });
    });

    describe('memory', () => {
      beforeEach(() => {
        store.sessions.create(session('s1'));
        store.sessions.create(session('s2'));
      });

      it('adds, lists and searches within one session only', () => {
        const a = store.memory.add('s1', 'Wren found a brass key in the boathouse.', [1, 2], 100);
        store.memory.add('s2', 'Wren found a brass key too, elsewhere.', [3], 100);
        expect(a).toEqual({ id: a.id, sessionId: 's1', text: 'Wren found a brass key in the boathouse.', messageIds: [1, 2], createdAt: 100 });
        expect(store.memory.list('s1')).toEqual([a]);
        const hits = store.memory.search('s1', 'where is the key?', 3);
        expect(hits.map((hit) => hit.item)).toEqual([a]);
        expect(hits[0]?.score).toBeGreaterThan(0);
      });

      it('deletes only memories built from the given messages', () => {
        const a = store.memory.add('s1', 'first', [1, 2], 1);
        store.memory.add('s1', 'second', [3], 2);
        const c = store.memory.add('s1', 'third', [], 3);
        const other = store.memory.add('s2', 'other session', [3], 4);
        store.memory.deleteForMessages('s1', [3, 99]);
        expect(store.memory.list('s1')).toEqual([a, c]);
        expect(store.memory.list('s2')).toEqual([other]);
        expect(store.memory.search('s1', 'second', 5)).toEqual([]);
        store.memory.deleteForMessages('s1', []);
        expect(store.memory.list('s1')).toHaveLength(2);
      });
    });

    describe('transaction', () => {
      it('commits all writes of the work and returns its result', () => {
        const result = store.transaction(() => {
          store.sessions.create(session('s1'), 'hi');
          store.messages.append({ sessionId: 's1', role: 'user', content: 'yo', characterId: 'wren' });
          return 42;
        });
        expect(result).toBe(42);
        expect(store.messages.count('s1')).toBe(2);
      });

      it('rolls back every write when the work throws, passing the error through', () => {
        store.sessions.create(session('s1'));
        const failure = new Error('engine bug');
        expect(() =>
          store.transaction(() => {
            store.messages.append({ sessionId: 's1', role: 'user', content: 'lost', characterId: 'wren' });
            store.sessions.create(session('s2'), 'lost too');
            store.sessions.delete('s1');
            throw failure;
          }),
        ).toThrow(failure);
        expect(store.sessions.get('default', 's1')).toBeDefined();
        expect(store.sessions.get('default', 's2')).toBeUndefined();
        expect(store.messages.count('s1')).toBe(0);
      });
    });

    it('closes idempotently and then answers with a StoreError', () => {
      store.close();
      store.close();
      expect(() => store.profiles.load('default')).toThrow(expect.objectContaining({ name: 'StoreError', kind: 'closed' }));
    });
  });
}
