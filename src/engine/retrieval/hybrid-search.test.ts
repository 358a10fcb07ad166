import { describe, expect, it } from 'vitest';
import { conceptVector } from '../../../test/support/concept-embeddings.ts';
import { createSqliteStore } from '../../store/sqlite-store.ts';
import type { Store, VectorIndex } from '../ports.ts';
import { ManualClock, MemoryLogger } from '../testing/fakes.ts';
import { fakeEmbeddingModel, type FakeEmbeddingModel } from './fake-embedding-model.ts';
import { createHybridSearch, type HybridSearchOptions } from './hybrid-search.ts';

/** The answer ("beacon… keeper… dusk") shares no word with the question but "the". */
const LORE = [
  'The lighthouse tax is paid in herring by every village on the bay.',
  'The beacon on Gull Rock is kindled by the old keeper every dusk.',
  'Fishermen mend their nets on the quay when the tide is out.',
  'The duke keeps his silver in a vault beneath the harbour.',
];
const QUESTION = 'Who tends the lighthouse lamp at night?';
const ANSWER = LORE[1];

const session = (id: string) => ({ id, profileId: 'default', worldId: 'harbor', characterId: 'wren', model: 'm', parentId: null, createdAt: 1 });

/** A store with the fixture, every row embedded by `model`. */
function fixture(model: FakeEmbeddingModel): Store & { vectors: VectorIndex } {
  const store = createSqliteStore(':memory:');
  if (!store.vectors) throw new Error('sqlite-vec did not load');
  store.lore.syncWorld({ id: 'harbor', lore: '' }, LORE);
  store.sessions.create(session('s1'));
  store.sessions.create(session('s2'));
  store.memory.add('s1', 'Wren promised the keeper to light the beacon at dusk.', [1], 1);
  store.memory.add('s1', 'Wren paid the lighthouse tax in silver.', [2], 1);
  store.memory.add('s2', 'In another story, Wren kindled the beacon at nightfall.', [3], 1);
  for (const kind of ['lore', 'memory'] as const) {
    for (const row of store.vectors.missing(kind, model.id, 100)) {
      store.vectors.upsert(kind, row.rowId, model.id, conceptVector(row.text));
    }
  }
  return store as Store & { vectors: VectorIndex };
}

const texts = (hits: { item: { text: string } }[]) => hits.map((hit) => hit.item.text);
const request = { worldId: 'harbor', sessionId: 's1', query: QUESTION, loreLimit: 2, memoryLimit: 1 };
const make = (store: Store, extra: Partial<HybridSearchOptions> = {}) => createHybridSearch({ store, logger: new MemoryLogger(), ...extra });

describe('hybrid search', () => {
  it('without embeddings returns exactly what BM25 does', async () => {
    const store = createSqliteStore(':memory:');
    store.lore.syncWorld({ id: 'harbor', lore: '' }, LORE);
    const result = await make(store).search(request);
    expect(result.mode).toBe('bm25');
    expect(result.lore).toEqual(store.lore.search('harbor', QUESTION, 2));
    expect(result.memories).toEqual([]);
  });

  it('finds the paraphrased answer BM25 alone misses', async () => {
    const model = fakeEmbeddingModel();
    const store = fixture(model);
    const bm25 = texts(store.lore.search('harbor', QUESTION, 2));
    expect(bm25).not.toContain(ANSWER);

    const result = await make(store, { embeddings: model }).search(request);
    expect(result.mode).toBe('hybrid');
    expect(texts(result.lore)).toContain(ANSWER);
    expect(result.lore).toHaveLength(2);
    expect(model.calls).toEqual([[QUESTION]]);
    // BM25 finds only the tax memory; the vector side adds the paraphrase, within the session only.
    expect(texts(store.memory.search('s1', QUESTION, 3))).toEqual(['Wren paid the lighthouse tax in silver.']);
    const memories = await make(store, { embeddings: model }).search({ ...request, memoryLimit: 3 });
    expect(texts(memories.memories).sort()).toEqual(['Wren paid the lighthouse tax in silver.', 'Wren promised the keeper to light the beacon at dusk.']);
  });

  it('falls back to BM25 when the query cannot be embedded, and rests the endpoint', async () => {
    const model = fakeEmbeddingModel();
    const store = fixture(model);
    const clock = new ManualClock();
    const logger = new MemoryLogger();
    const search = createHybridSearch({ store, logger, embeddings: model, clock, retryAfterMs: 30_000 });
    const bm25 = { lore: store.lore.search('harbor', QUESTION, 2), memories: store.memory.search('s1', QUESTION, 1), mode: 'bm25' };

    model.mode = 'fail';
    expect(await search.search(request)).toEqual(bm25);
    expect(logger.entries.map((entry) => entry.message)).toEqual(['query embedding failed; using BM25 only']);
    model.mode = 'ok';
    expect(await search.search(request)).toEqual(bm25);
    expect(model.calls).toHaveLength(1);

    clock.advance(30_000);
    expect((await search.search(request)).mode).toBe('hybrid');
    expect(model.calls).toHaveLength(2);
  });

  it('does not wait past its deadline for an endpoint that hangs', async () => {
    const model = fakeEmbeddingModel();
    const store = fixture(model);
    model.mode = 'hang';
    const result = await make(store, { embeddings: model, queryTimeoutMs: 20 }).search(request);
    expect(result.mode).toBe('bm25');
    expect(texts(result.lore)).toEqual(texts(store.lore.search('harbor', QUESTION, 2)));
  });

  it('stops waiting when the turn is cancelled', async () => {
    const model = fakeEmbeddingModel();
    const store = fixture(model);
    model.mode = 'hang';
    const controller = new AbortController();
    const pending = make(store, { embeddings: model, queryTimeoutMs: 60_000 }).search({ ...request, signal: controller.signal });
    controller.abort();
    expect((await pending).mode).toBe('bm25');
  });

  it('uses BM25 while nothing is embedded yet', async () => {
    const model = fakeEmbeddingModel();
    const store = createSqliteStore(':memory:');
    store.lore.syncWorld({ id: 'harbor', lore: '' }, LORE);
    const result = await make(store, { embeddings: model }).search(request);
    expect(result.mode).toBe('bm25');
    expect(result.lore).toEqual(store.lore.search('harbor', QUESTION, 2));
  });
});
