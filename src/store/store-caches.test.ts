/**
 * The store's caches (recent messages, search word counts) must never change an answer: after
 * any mix of writes — this connection's, a rolled-back transaction's, another connection's —
 * `recent` equals the newest rows as stored, and a search equals the same search on a freshly
 * opened connection (whose caches are empty).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../engine/ports.ts';
import { createSqliteStore } from './sqlite-store.ts';
import { tempDir } from './test-support.ts';

const temp = tempDir('flower-store-caches-');
afterAll(() => temp.cleanup());
let files = 0;
const freshFile = (): string => temp.file(`caches-${++files}.db`);

const newSession = (id: string) => ({ id, profileId: 'p', worldId: 'w', characterId: 'c', model: 'm', parentId: null, createdAt: 1 });

/** What `recent` must answer: the stored rows, read without any cache. */
const stored = (store: Store, sessionId: string, limit: number) => store.messages.list(sessionId).slice(-limit);

type Op =
  | { kind: 'append'; session: number; text: string }
  | { kind: 'update'; pick: number; text: string; status: boolean }
  | { kind: 'delete'; pick: number }
  | { kind: 'recent'; session: number; limit: number }
  | { kind: 'rollback'; session: number; text: string }
  | { kind: 'other'; session: number; text: string; remove: boolean }
  | { kind: 'recreate'; session: number }
  | { kind: 'interrupt' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), session: fc.nat(2), text: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), text: fc.string({ maxLength: 12 }), status: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('recent' as const), session: fc.nat(2), limit: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('rollback' as const), session: fc.nat(2), text: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('other' as const), session: fc.nat(2), text: fc.string({ maxLength: 12 }), remove: fc.boolean() }),
  fc.record({ kind: fc.constant('recreate' as const), session: fc.nat(2) }),
  fc.constant({ kind: 'interrupt' as const }),
);

describe('recent messages cache', () => {
  it('answers exactly what is stored after any mix of writes (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const path = freshFile();
        const store = createSqliteStore(path);
        const other = createSqliteStore(path);
        const sessions = ['s0', 's1', 's2'];
        for (const id of sessions) store.sessions.create(newSession(id), 'It begins.');
        const ids = () => sessions.flatMap((id) => store.messages.list(id).map((m) => m.id));
        try {
          for (const step of ops) {
            const sessionId = sessions[('session' in step ? step.session : 0) % sessions.length] as string;
            switch (step.kind) {
              case 'append':
                store.messages.append({ sessionId, role: 'user', content: step.text, characterId: 'c', status: 'streaming' });
                break;
              case 'update': {
                const all = ids();
                if (all.length > 0) store.messages.update(all[step.pick % all.length] as number, { content: step.text, ...(step.status ? { status: 'complete' } : {}) });
                break;
              }
              case 'delete': {
                const all = ids();
                if (all.length > 0) store.messages.delete(all[step.pick % all.length] as number);
                break;
              }
              case 'rollback':
                expect(() =>
                  store.transaction(() => {
                    store.messages.append({ sessionId, role: 'assistant', content: step.text, characterId: 'c' });
                    throw new Error('undo');
                  }),
                ).toThrow('undo');
                break;
              case 'other':
                if (step.remove) {
                  const last = other.messages.list(sessionId).at(-1);
                  if (last) other.messages.delete(last.id);
                } else {
                  other.messages.append({ sessionId, role: 'user', content: step.text, characterId: 'c' });
                }
                break;
              case 'recreate':
                store.sessions.delete(sessionId);
                store.sessions.create(newSession(sessionId), 'Again.');
                break;
              case 'interrupt':
                store.messages.recoverInterrupted();
                break;
              case 'recent':
                expect(store.messages.recent(sessionId, step.limit)).toEqual(stored(store, sessionId, step.limit));
            }
          }
          for (const id of sessions) {
            for (const limit of [1, 3, 100]) expect(store.messages.recent(id, limit)).toEqual(stored(store, id, limit));
          }
        } finally {
          other.close();
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('hands out copies: changing a returned record changes nothing stored', () => {
    const store = createSqliteStore(':memory:');
    store.sessions.create(newSession('s'), 'It begins.');
    const [first] = store.messages.recent('s', 5);
    if (first) first.content = 'changed';
    expect(store.messages.recent('s', 5)[0]?.content).toBe('It begins.');
    store.close();
  });

  it('reads more rows when asked for more than it holds, and nothing for a limit below one', () => {
    const store = createSqliteStore(':memory:');
    store.sessions.create(newSession('s'), 'one');
    for (const text of ['two', 'three', 'four']) store.messages.append({ sessionId: 's', role: 'user', content: text, characterId: 'c' });
    expect(store.messages.recent('s', 2).map((m) => m.content)).toEqual(['three', 'four']);
    expect(store.messages.recent('s', 10).map((m) => m.content)).toEqual(['one', 'two', 'three', 'four']);
    expect(store.messages.recent('s', 0.5)).toEqual([]);
    expect(store.messages.recent('unknown', 3)).toEqual([]);
    store.close();
  });
});

/**
 * Words chosen so that stems, accents and splits meet: "castles" counts for "castle", "ayed"
 * for "ai", "café" for "cafe"; the index splits "कःख" into two terms and makes none of a lone
 * combining mark.
 */
const WORDS = ['castle', 'castles', 'ai', 'ayed', 'cafe', 'café', 'naïve', 'naive', 'ies', 'don’t', 'dragon', 'dragons', 'gold', '東京', 'ｆｕｌｌ', 'full', 'the', 'river', 'कःख', 'क', 'ख', 'a\u0301'];

describe('search word counts', () => {
  it('counts an added row for every word it holds, by stem and across a split', () => {
    // One row per word at most: a second row makes a word too common to search by.
    const store = createSqliteStore(':memory:', { searchBudget: { maxRowsPerToken: 1, maxRowsTotal: 5 } });
    store.sessions.create(newSession('s'));
    store.memory.add('s', 'castle कःख', [1], 1);
    expect(store.memory.search('s', 'castle', 3)).toHaveLength(1);
    expect(store.memory.search('s', 'कःख', 3)).toHaveLength(1);
    store.memory.add('s', 'castles', [2], 2);
    expect(store.memory.search('s', 'castle', 3)).toEqual([]);
    expect(store.memory.search('s', 'कःख', 3)).toHaveLength(1);
    store.memory.add('s', 'कःख', [3], 3);
    expect(store.memory.search('s', 'कःख', 3)).toEqual([]);
    store.close();
  });

  it('searches exactly as a fresh connection does after adds, deletes and other writers (property)', () => {
    const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));
    // Mostly adds and searches: the other steps forget every count, which hides stale ones.
    const step = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('add' as const), text: sentence, session: fc.nat(1) }), weight: 4 },
      { arbitrary: fc.record({ kind: fc.constant('search' as const), text: sentence, session: fc.nat(1) }), weight: 4 },
      { arbitrary: fc.record({ kind: fc.constant('other' as const), text: sentence }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('forget' as const), pick: fc.nat() }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 50 }), (steps) => {
        const path = freshFile();
        // A tiny budget so one added row moves words across the "too common" line.
        const budget = { maxRowsPerToken: 3, maxRowsTotal: 5 };
        const store = createSqliteStore(path, { searchBudget: budget });
        const other = createSqliteStore(path, { searchBudget: budget });
        const sessions = ['s0', 's1'];
        for (const id of sessions) store.sessions.create(newSession(id));
        let at = 0;
        try {
          for (const s of steps) {
            const sessionId = sessions['session' in s ? s.session : 0] as string;
            if (s.kind === 'add') store.memory.add(sessionId, s.text, [++at], at);
            if (s.kind === 'other') other.memory.add('s0', s.text, [++at], at);
            if (s.kind === 'forget' && at > 0) store.memory.deleteForMessages('s1', [1 + (s.pick % at)]);
            if (s.kind !== 'search') continue;
            // Read-only: closing it writes nothing (no 'optimize'), so the store under test sees no other writer.
            const fresh = createSqliteStore(path, { searchBudget: budget, readonly: true });
            try {
              expect(store.memory.search(sessionId, s.text, 4)).toEqual(fresh.memory.search(sessionId, s.text, 4));
            } finally {
              fresh.close();
            }
          }
        } finally {
          other.close();
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
