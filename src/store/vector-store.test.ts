import { afterAll, describe, expect, it } from 'vitest';
import type { LogFields, Store, VectorIndex } from '../engine/ports.ts';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
import { tempDir } from './test-support.ts';

const temp = tempDir('flower-vectors-');
afterAll(() => temp.cleanup());

const session = (id: string, worldId = 'harbor') => ({
  id, profileId: 'default', worldId, characterId: 'wren', model: 'm', parentId: null, createdAt: 1,
});

const open = (options: SqliteStoreOptions = {}): Store & { vectors: VectorIndex } => {
  const store = createSqliteStore(':memory:', options);
  if (!store.vectors) throw new Error('sqlite-vec did not load');
  return store as Store & { vectors: VectorIndex };
};

const MODEL = 'test/embed';
const loreIds = (store: Store, worldId: string): number[] => store.lore.search(worldId, 'lore', 100).map((hit) => hit.item.id);

describe('vector store', () => {
  it('finds the nearest lore chunks of the asked world only', () => {
    const store = open();
    store.lore.syncWorld({ id: 'harbor', lore: '' }, ['lore east', 'lore north', 'lore west']);
    store.lore.syncWorld({ id: 'desert', lore: '' }, ['lore east too']);
    const [east, north, west] = loreIds(store, 'harbor').sort((a, b) => a - b) as [number, number, number];
    const [desertEast] = loreIds(store, 'desert') as [number];
    expect(store.vectors.upsert('lore', east, MODEL, [1, 0, 0, 0])).toBe(true);
    store.vectors.upsert('lore', north, MODEL, [0, 1, 0, 0]);
    store.vectors.upsert('lore', west, MODEL, [-1, 0.1, 0, 0]);
    store.vectors.upsert('lore', desertEast, MODEL, [1, 0, 0, 0]);

    const hits = store.vectors.search('lore', { worldId: 'harbor' }, MODEL, [0.9, 0.2, 0, 0], 10);
    expect(hits.map((hit) => hit.item)).toEqual([east, north, west]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 1);
    expect(hits[0]?.score).toBeCloseTo(0.976, 2);
    expect(store.vectors.search('lore', { worldId: 'harbor' }, MODEL, [1, 0, 0, 0], 1).map((hit) => hit.item)).toEqual([east]);
    expect(store.vectors.loreChunks([west, east]).map((chunk) => chunk.text)).toEqual(['lore west', 'lore east']);
  });

  it('gives nothing for an unknown model, a wrong length, a missing scope or a zero query', () => {
    const store = open();
    store.lore.syncWorld({ id: 'harbor', lore: '' }, ['lore one']);
    const [id] = loreIds(store, 'harbor') as [number];
    store.vectors.upsert('lore', id, MODEL, [1, 2, 3]);
    expect(store.vectors.search('lore', { worldId: 'harbor' }, 'other/model', [1, 2, 3], 5)).toEqual([]);
    expect(store.vectors.search('lore', { worldId: 'harbor' }, MODEL, [1, 2], 5)).toEqual([]);
    expect(store.vectors.search('lore', { sessionId: 'harbor' }, MODEL, [1, 2, 3], 5)).toEqual([]);
    expect(store.vectors.search('lore', { worldId: 'harbor' }, MODEL, [0, 0, 0], 5)).toEqual([]);
    expect(() => store.vectors.upsert('lore', id, MODEL, [0, Number.NaN, 1])).toThrow(/not finite/);
  });

  it('lists rows without a vector per model, and counts them', () => {
    const store = open();
    store.lore.syncWorld({ id: 'harbor', lore: '' }, ['lore a', 'lore b']);
    store.sessions.create(session('s1'));
    const memory = store.memory.add('s1', 'a memory', [1], 1);
    const [a, b] = loreIds(store, 'harbor').sort((x, y) => x - y) as [number, number];
    expect(store.vectors.missing('lore', MODEL, 10)).toEqual([{ rowId: a, text: 'lore a' }, { rowId: b, text: 'lore b' }]);
    store.vectors.upsert('lore', a, MODEL, [1, 0]);
    expect(store.vectors.missing('lore', MODEL, 10).map((row) => row.rowId)).toEqual([b]);
    expect(store.vectors.missing('lore', 'other/model', 10)).toHaveLength(2);
    expect(store.vectors.missing('memory', MODEL, 10)).toEqual([{ rowId: memory.id, text: 'a memory' }]);
    expect(store.vectors.counts(MODEL)).toEqual({ lore: { embedded: 1, total: 2 }, memory: { embedded: 0, total: 1 } });
    expect(store.vectors.upsert('lore', 99_999, MODEL, [1, 0])).toBe(false);
  });

  it('drops vectors with their rows: a deleted session, rebuilt memories, re-synced lore', () => {
    const store = open();
    store.sessions.create(session('s1'));
    store.sessions.create(session('s2'));
    const kept = store.memory.add('s1', 'kept memory', [1], 1);
    const rebuilt = store.memory.add('s1', 'rebuilt memory', [2], 1);
    const gone = store.memory.add('s2', 'memory of a deleted session', [3], 1);
    for (const memory of [kept, rebuilt, gone]) store.vectors.upsert('memory', memory.id, MODEL, [1, 1]);
    expect(store.vectors.search('memory', { sessionId: 's1' }, MODEL, [1, 1], 10).map((hit) => hit.item).sort()).toEqual([kept.id, rebuilt.id]);

    store.sessions.delete('s2');
    store.memory.deleteForMessages('s1', [2]);
    expect(store.vectors.search('memory', { sessionId: 's2' }, MODEL, [1, 1], 10)).toEqual([]);
    expect(store.vectors.search('memory', { sessionId: 's1' }, MODEL, [1, 1], 10).map((hit) => hit.item)).toEqual([kept.id]);
    expect(store.vectors.counts(MODEL).memory).toEqual({ embedded: 1, total: 1 });

    store.lore.syncWorld({ id: 'harbor', lore: '' }, ['lore old']);
    const [old] = loreIds(store, 'harbor') as [number];
    store.vectors.upsert('lore', old, MODEL, [1, 0]);
    store.lore.syncWorld({ id: 'harbor', lore: '' }, ['lore new']);
    expect(store.vectors.search('lore', { worldId: 'harbor' }, MODEL, [1, 0], 10)).toEqual([]);
    expect(store.vectors.missing('lore', MODEL, 10).map((row) => row.text)).toEqual(['lore new']);
  });

  it('starts a model over when its vectors change length', () => {
    const store = open();
    store.lore.syncWorld({ id: 'harbor', lore: '' }, ['lore a', 'lore b']);
    const [a, b] = loreIds(store, 'harbor').sort((x, y) => x - y) as [number, number];
    store.vectors.upsert('lore', a, MODEL, [1, 0]);
    store.vectors.upsert('lore', b, MODEL, [1, 0, 0]);
    expect(store.vectors.counts(MODEL).lore.embedded).toBe(1);
    expect(store.vectors.search('lore', { worldId: 'harbor' }, MODEL, [1, 0, 0], 5).map((hit) => hit.item)).toEqual([b]);
    expect(store.vectors.missing('lore', MODEL, 5).map((row) => row.rowId)).toEqual([a]);
  });
});

/** Deterministic zero-centred vectors, like an embedding model's. */
const randomVectors = (count: number, dimensions: number, seed: number): Float32Array[] => {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, next));
};

const cosine = (a: Float32Array, b: Float32Array): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
};

describe('vector store: large scopes go through the coarse index', () => {
  it('ranks like an exact search and forgets replaced rows', () => {
    const store = open({ vectorSearch: { exactSearchLimit: 50, oversample: 10 } });
    const vectors = randomVectors(301, 64, 7);
    const texts = Array.from({ length: 300 }, (_, i) => `lore ${i}`);
    const vectorOf = (text: string) => vectors[Number(text.split(' ')[1])] ?? new Float32Array(64);
    const embedAll = () => {
      for (const row of store.vectors.missing('lore', MODEL, 1000)) store.vectors.upsert('lore', row.rowId, MODEL, vectorOf(row.text));
    };
    store.lore.syncWorld({ id: 'desert', lore: '' }, ['lore 0']);
    store.lore.syncWorld({ id: 'harbor', lore: '' }, texts);
    embedAll();

    // A query near vector 0 (noise added), so the nearest rows are clear but not trivial.
    const query = Float32Array.from(vectors[0] ?? [], (x, i) => x + (vectors[300]?.[i] ?? 0) * 0.5);
    const exactTop = (live: string[]) =>
      live
        .map((text) => ({ text, score: cosine(query, vectorOf(text)) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 3);
    const searchTop = () => {
      const hits = store.vectors.search('lore', { worldId: 'harbor' }, MODEL, query, 3);
      const chunks = store.vectors.loreChunks(hits.map((hit) => hit.item));
      expect(chunks.every((chunk) => chunk.worldId === 'harbor')).toBe(true);
      return chunks.map((chunk, i) => ({ text: chunk.text, score: hits[i]?.score ?? 0 }));
    };
    const expectSame = (actual: { text: string; score: number }[], expected: { text: string; score: number }[]) => {
      expect(actual.map((row) => row.text)).toEqual(expected.map((row) => row.text));
      actual.forEach((row, i) => expect(row.score).toBeCloseTo(expected[i]?.score ?? 0, 4));
    };
    expectSame(searchTop(), exactTop(texts));

    // Re-synced without the best match: its vector and coarse entry go, the rest re-embed.
    store.lore.syncWorld({ id: 'harbor', lore: '' }, texts.slice(1));
    expect(store.vectors.search('lore', { worldId: 'harbor' }, MODEL, query, 3)).toEqual([]);
    embedAll();
    expectSame(searchTop(), exactTop(texts.slice(1)));
  });
});

describe('sqlite store without the vector extension', () => {
  it('opens without `vectors`, warns, and still searches and deletes', () => {
    const warnings: { message: string; fields?: LogFields }[] = [];
    const logger = { info: () => {}, warn: (message: string, fields?: LogFields) => warnings.push({ message, fields }), error: () => {} };
    const path = temp.file('no-vec.db');
    const withVectors = open();
    withVectors.close();
    // A file that once had vectors is opened by a build whose extension fails to load.
    const first = createSqliteStore(path);
    first.sessions.create(session('s1'));
    const memory = first.memory.add('s1', 'the lighthouse keeper', [1], 1);
    first.vectors?.upsert('memory', memory.id, MODEL, [1, 0]);
    first.close();

    const store = createSqliteStore(path, {
      logger,
      loadVectorExtension: () => {
        throw new Error('cannot load extension');
      },
    });
    expect(store.vectors).toBeUndefined();
    expect(warnings[0]?.message).toMatch(/sqlite-vec extension did not load/);
    expect(store.memory.search('s1', 'lighthouse', 5)).toHaveLength(1);
    store.sessions.delete('s1');
    expect(store.memory.list('s1')).toEqual([]);
    store.close();

    const reopened = createSqliteStore(path);
    expect(reopened.vectors?.counts(MODEL).memory).toEqual({ embedded: 0, total: 0 });
    reopened.close();
  });
});

describe('vector store: in-memory copies of searched scopes', () => {
  const DIMENSIONS = 32;
  const all = randomVectors(60, DIMENSIONS, 11);
  const vectorOf = (text: string) => all[Number(text.split(' ')[1])] ?? new Float32Array(DIMENSIONS);
  const embedAll = (store: Store & { vectors: VectorIndex }) => {
    for (const row of store.vectors.missing('lore', MODEL, 1000)) store.vectors.upsert('lore', row.rowId, MODEL, vectorOf(row.text));
  };
  /** What an exact ranking of these chunk texts gives for `query`. */
  const exactTexts = (texts: string[], query: Float32Array, limit: number) =>
    texts
      .map((text) => ({ text, score: cosine(query, vectorOf(text)) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((row) => row.text);
  const searchTexts = (store: Store & { vectors: VectorIndex }, query: Float32Array, limit = 5) =>
    store.vectors.loreChunks(store.vectors.search('lore', { worldId: 'harbor' }, MODEL, query, limit).map((hit) => hit.item)).map((chunk) => chunk.text);
  const texts = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `lore ${from + i}`);

  it('follows this connection’s writes: new rows, replaced vectors, rows deleted with their lore', () => {
    const store = open();
    store.lore.syncWorld({ id: 'harbor', lore: '' }, texts(0, 40));
    embedAll(store);
    const query = all[50] as Float32Array;
    expect(searchTexts(store, query)).toEqual(exactTexts(texts(0, 40), query, 5));

    // The nearest vector there is, given to a new chunk and then to an old one.
    const added = store.lore.attach('harbor', 'lore 50');
    store.vectors.upsert('lore', added.id, MODEL, query);
    expect(searchTexts(store, query)[0]).toBe('lore 50');
    const [first] = loreIds(store, 'harbor').sort((a, b) => a - b) as [number];
    store.vectors.upsert('lore', first, MODEL, query.map((x) => x * 2));
    expect(searchTexts(store, query).slice(0, 2).sort()).toEqual(['lore 0', 'lore 50']);

    // A re-sync deletes the file chunks (and, by trigger, their vectors); the attached one stays.
    store.lore.syncWorld({ id: 'harbor', lore: '' }, texts(10, 40));
    embedAll(store);
    expect(searchTexts(store, query)).toEqual(['lore 50', ...exactTexts(texts(10, 40), query, 4)]);
  });

  it('forgets what a rolled-back transaction wrote, and searches inside one without keeping anything', () => {
    const store = open();
    store.lore.syncWorld({ id: 'harbor', lore: '' }, texts(0, 40));
    embedAll(store);
    const query = all[50] as Float32Array;
    const before = exactTexts(texts(0, 40), query, 5);
    expect(searchTexts(store, query)).toEqual(before);

    expect(() =>
      store.transaction(() => {
        const added = store.lore.attach('harbor', 'lore 50');
        store.vectors.upsert('lore', added.id, MODEL, query);
        store.lore.syncWorld({ id: 'harbor', lore: '' }, texts(20, 40));
        // Inside the transaction its own writes are seen.
        expect(searchTexts(store, query)).toEqual(['lore 50']);
        throw new Error('roll back');
      }),
    ).toThrow(/roll back/);
    expect(searchTexts(store, query)).toEqual(before);
  });

  it('sees what another connection to the same file wrote', () => {
    const path = temp.file('two-connections.db');
    const server = createSqliteStore(path) as Store & { vectors: VectorIndex };
    const importer = createSqliteStore(path) as Store & { vectors: VectorIndex };
    try {
      server.lore.syncWorld({ id: 'harbor', lore: '' }, texts(0, 40));
      embedAll(server);
      const query = all[50] as Float32Array;
      expect(searchTexts(server, query)).toEqual(exactTexts(texts(0, 40), query, 5));

      const added = importer.lore.attach('harbor', 'lore 50');
      importer.vectors.upsert('lore', added.id, MODEL, query);
      expect(searchTexts(server, query)[0]).toBe('lore 50');

      importer.lore.syncWorld({ id: 'harbor', lore: '' }, texts(30, 40));
      expect(searchTexts(server, query)).toEqual(['lore 50']);
      embedAll(importer);
      expect(searchTexts(server, query)).toEqual(['lore 50', ...exactTexts(texts(30, 40), query, 4)]);
    } finally {
      importer.close();
      server.close();
    }
  });

  it('searches exactly without a copy when a scope does not fit the memory budget', () => {
    const store = open({ vectorSearch: { cacheBytes: 1024 } });
    store.lore.syncWorld({ id: 'harbor', lore: '' }, texts(0, 40));
    embedAll(store);
    const query = all[50] as Float32Array;
    expect(searchTexts(store, query)).toEqual(exactTexts(texts(0, 40), query, 5));
    store.lore.syncWorld({ id: 'harbor', lore: '' }, texts(5, 40));
    embedAll(store);
    expect(searchTexts(store, query)).toEqual(exactTexts(texts(5, 40), query, 5));
  });

  it('builds a 4-bit copy of a large scope in background slices, then ranks exactly from it and keeps it current', () => {
    const slices: Array<() => void> = [];
    const store = open({ vectorSearch: { exactSearchLimit: 20, schedule: (work) => slices.push(work) } });
    const large = randomVectors(700, DIMENSIONS, 13);
    const largeOf = (text: string) => large[Number(text.split(' ')[1])] ?? new Float32Array(DIMENSIONS);
    const live = texts(0, 600);
    store.lore.syncWorld({ id: 'harbor', lore: '' }, live);
    for (const row of store.vectors.missing('lore', MODEL, 1000)) store.vectors.upsert('lore', row.rowId, MODEL, largeOf(row.text));
    const query = large[650] as Float32Array;
    const exact = (list: string[], limit = 5) =>
      list
        .map((text) => ({ text, score: cosine(query, largeOf(text)) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit)
        .map((row) => row.text);

    // Meanwhile the coarse index answers.
    expect(searchTexts(store, query)).toHaveLength(5);
    expect(slices.length).toBe(1);
    let ran = 0;
    // Writes between slices land in the copy too: a new row, and a row already read.
    const added = store.lore.attach('harbor', 'lore 650');
    const [first] = loreIds(store, 'harbor').sort((a, b) => a - b) as [number];
    const nearly = query.map((x, i) => x + (i === 0 ? 0.05 : 0));
    while (slices.length > 0) {
      slices.shift()?.();
      if (++ran === 1) {
        store.vectors.upsert('lore', added.id, MODEL, query);
        store.vectors.upsert('lore', first, MODEL, nearly);
      }
    }
    expect(ran).toBeGreaterThan(2);
    expect(searchTexts(store, query)).toEqual(['lore 650', 'lore 0', ...exact(live.slice(1)).slice(0, 3)]);
    expect(slices).toEqual([]);

    // A few rows deleted are patched into the copy: no rebuild.
    const gone = store.vectors.search('lore', { worldId: 'harbor' }, MODEL, query, 3).map((hit) => hit.item);
    store.transaction(() => {
      for (const id of gone) store.vectors.upsert('lore', id, MODEL, query.map((x) => -x));
    });
    expect(searchTexts(store, query)).toEqual(exact(live.slice(1), 6).slice(1));
    expect(slices).toEqual([]);

    // A re-sync replaces every chunk: the copy is dropped and built again.
    store.lore.syncWorld({ id: 'harbor', lore: '' }, live.slice(100));
    for (const row of store.vectors.missing('lore', MODEL, 1000)) store.vectors.upsert('lore', row.rowId, MODEL, largeOf(row.text));
    expect(searchTexts(store, query)).toHaveLength(5);
    while (slices.length > 0) slices.shift()?.();
    expect(searchTexts(store, query)).toEqual(exact(live.slice(100)).slice(0, 5));
    expect(slices).toEqual([]);
  });
});
