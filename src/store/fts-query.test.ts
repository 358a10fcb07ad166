import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../engine/ports.ts';
import { createRowCountCache, planFtsQuery, queryTokens, toFtsQuery } from './fts-query.ts';
import { createSqliteStore } from './sqlite-store.ts';

const HOSTILE = [
  '"', '""', '"unterminated', '*', 'dragon*', 'NEAR(', 'NEAR(a b, 2)', 'a:b', 'text:dragon', '-x', '^start',
  'AND OR NOT', 'AND', '(', ')', '((()))', '{text}: x', '', '   ', '\u0000', '🐉🔥', '🐉 dragon 🔥', "'; DROP TABLE lore_chunks; --",
  'x'.repeat(100), '\uD800', 'é́́́', '+-*/<>=', 'dragon AND', 'OR dragon', 'NOT', '"a" "b"',
];

describe('queryTokens / toFtsQuery', () => {
  it('keeps words, drops stop words and operators, dedupes case-insensitively', () => {
    expect(queryTokens('Where is THE Dragon? the dragon, NEAR(the cave) -x a:b "king"*')).toEqual([
      'dragon', 'near', 'cave', 'x', 'b', 'king',
    ]);
    expect(toFtsQuery('Dragon\'s lair')).toBe('"dragon" OR "lair"');
  });

  it('keeps letters of any script and their combining marks', () => {
    expect(queryTokens('Café naïve Straße 東京 Москва e\u0301')).toEqual(['café', 'naïve', 'straße', '東京', 'москва', 'e\u0301']);
  });

  it('returns nothing to search for empty, punctuation-only or stop-word-only text', () => {
    for (const text of ['', '   ', '"*:-()', '🐉🔥', 'the and of it']) expect(toFtsQuery(text)).toBeUndefined();
  });

  it('caps the number of tokens and skips absurdly long runs', () => {
    const many = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    expect(queryTokens(many)).toHaveLength(64);
    expect(queryTokens(`${'z'.repeat(65)} short`)).toEqual(['short']);
  });

  it('only ever emits quoted word tokens joined by OR', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const query = toFtsQuery(text);
        if (query === undefined) return;
        for (const part of query.split(' OR ')) expect(part).toMatch(/^"[\p{L}\p{N}\p{M}]+"$/u);
      }),
    );
  });
});

describe('planFtsQuery', () => {
  const budget = { maxRowsPerToken: 100, maxRowsTotal: 100 };
  const index: Record<string, number> = { rare: 3, mid: 60, midtoo: 70, common: 5000 };
  const probe = (match: string, cap: number) => Math.min(index[match.slice(1, -1)] ?? 0, cap);

  it('drops absent and too-common words and keeps the rarest within the budget', () => {
    expect(planFtsQuery('common rare absent mid midtoo', probe, budget)).toBe('"rare" OR "mid"');
    expect(planFtsQuery('common absent', probe, budget)).toBeUndefined();
  });

  it('caches probe counts until told to forget', () => {
    let probes = 0;
    const cache = createRowCountCache((match, cap) => {
      probes += 1;
      return probe(match, cap);
    });
    planFtsQuery('rare mid common', cache.countRows, budget);
    planFtsQuery('rare mid common', cache.countRows, budget);
    expect(probes).toBe(3);
    cache.forget();
    planFtsQuery('rare', cache.countRows, budget);
    expect(probes).toBe(4);
  });
});

describe('search with hostile and random queries', () => {
  let store: Store;
  beforeAll(() => {
    store = createSqliteStore(':memory:');
    store.lore.syncWorld({ id: 'w', lore: '' }, [
      'The dragon sleeps beneath the mountain, guarding a hoard of gold.',
      'Fishermen mend their nets at the harbor while gulls circle overhead.',
      'The king of the north rides a white horse into battle.',
      'A café in the old town serves naïve travellers bitter coffee.',
      '東京の夜は明るい。',
    ]);
    store.sessions.create({ id: 's', profileId: 'p', worldId: 'w', characterId: 'c', model: 'm', parentId: null, createdAt: 1 });
    store.memory.add('s', 'The player bargained with the dragon for safe passage.', [1], 1);
  });
  afterAll(() => store.close());

  it('answers hostile queries without throwing', () => {
    for (const query of HOSTILE) {
      expect(() => store.lore.search('w', query, 3), query).not.toThrow();
      expect(() => store.memory.search('s', query, 3), query).not.toThrow();
    }
    expect(store.lore.search('w', '', 3)).toEqual([]);
    expect(store.lore.search('w', '🐉 dragon 🔥', 3)[0]?.item.text).toMatch(/dragon sleeps/);
    expect(store.lore.search('w', 'NEAR(king horse)', 3)[0]?.item.text).toMatch(/king of the north/);
  });

  it('never throws on random text, including a 1 MB message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 50 }), (a, b) => {
        store.lore.search('w', a, 3);
        store.memory.search('s', b, 3);
      }),
      { numRuns: 500 },
    );
    const huge = 'dragon "NEAR( *:- '.repeat(60_000);
    expect(huge.length).toBeGreaterThan(1_000_000);
    expect(store.lore.search('w', huge, 3)[0]?.item.text).toMatch(/dragon sleeps/);
  });

  it('finds words regardless of accents and word endings', () => {
    expect(store.lore.search('w', 'cafe naive', 3)[0]?.item.text).toMatch(/café/);
    expect(store.lore.search('w', 'dragons sleeping', 3)[0]?.item.text).toMatch(/dragon sleeps/);
  });

  it('ranks the relevant chunk first by BM25', () => {
    const hits = store.lore.search('w', 'Who guards the gold under the mountain?', 5);
    expect(hits[0]?.item.text).toMatch(/guarding a hoard of gold/);
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((score) => score > 0)).toBe(true);
  });
});
