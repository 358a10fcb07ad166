/**
 * Embeddings end to end: a config naming an embeddings provider, a local server speaking the
 * OpenAI embeddings format, a real SQLite file with sqlite-vec, the background indexer and the
 * hybrid search a turn uses — and what happens when the endpoint goes away.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { providersConfigSchema } from '../../src/config/providers-config.ts';
import { createEmbeddingIndexer, type EmbeddingProgress } from '../../src/engine/retrieval/embedding-indexer.ts';
import { createHybridSearch } from '../../src/engine/retrieval/hybrid-search.ts';
import { MemoryLogger } from '../../src/engine/testing/fakes.ts';
import { resolveEmbeddingModel } from '../../src/providers/embeddings.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { tempDir } from '../../src/store/test-support.ts';
import { startEmbeddingsServer } from '../support/embeddings-server.ts';

const temp = tempDir('flower-hybrid-');
afterAll(() => temp.cleanup());

const LORE = [
  'The lighthouse tax is paid in herring by every village on the bay.',
  'The beacon on Gull Rock is kindled by the old keeper every dusk.',
  'Fishermen mend their nets on the quay when the tide is out.',
  'The duke keeps his silver in a vault beneath the harbour.',
  'The queen was buried at sea after she drowned off the cape.',
];
const QUESTION = 'Who tends the lighthouse lamp at night?';
const ANSWER = 'The beacon on Gull Rock is kindled by the old keeper every dusk.';
const request = { worldId: 'harbor', sessionId: 's1', query: QUESTION, loreLimit: 2, memoryLimit: 2 };

async function until(done: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!done()) throw new Error('condition never held');
}

describe('hybrid retrieval with a local OpenAI-format embeddings endpoint', () => {
  it('indexes in the background, finds paraphrases, resumes after restart and survives the endpoint going down', async () => {
    const server = await startEmbeddingsServer({ models: ['concepts'] });
    const config = providersConfigSchema.parse({
      local_discovery: false,
      providers: { home: { type: 'lmstudio', base_url: server.origin } },
      embeddings: { provider: 'home', model: 'concepts' },
    });
    const model = resolveEmbeddingModel(config, {}, { batchSize: 2 });
    if (!model) throw new Error('embedding model did not resolve');
    const path = temp.file('campaign.db');

    // First run: lore imported, the indexer stopped part-way (as by a shutdown).
    const first = createSqliteStore(path);
    first.lore.syncWorld({ id: 'harbor', lore: '' }, LORE);
    first.sessions.create({ id: 's1', profileId: 'default', worldId: 'harbor', characterId: 'wren', model: 'm', parentId: null, createdAt: 1 });
    first.memory.add('s1', 'Wren promised the keeper to light the beacon at dusk.', [1], 1);
    const firstProgress: EmbeddingProgress[] = [];
    const firstJob = createEmbeddingIndexer({ store: first, model, logger: new MemoryLogger(), onProgress: (p) => firstProgress.push(p), batchSize: 2 });
    firstJob.start();
    await until(() => firstProgress.some((p) => p.kind === 'lore'));
    await firstJob.stop();
    const missingAtRestart = ['memory', 'lore'].flatMap((kind) =>
      (first.vectors?.missing(kind as 'memory' | 'lore', model.id, 100) ?? []).map((row) => row.text),
    );
    expect(missingAtRestart.length).toBeGreaterThan(0);
    expect(missingAtRestart.length).toBeLessThan(LORE.length + 1);
    first.close();

    // Second run: the indexer finishes only what is missing.
    const store = createSqliteStore(path);
    const progress: EmbeddingProgress[] = [];
    const logger = new MemoryLogger();
    const sent: string[] = [];
    const counting = { id: model.id, embed: (texts: string[], signal?: AbortSignal) => (sent.push(...texts), model.embed(texts, signal)) };
    const job = createEmbeddingIndexer({ store, model: counting, logger, onProgress: (p) => progress.push(p), batchSize: 2, retryDelayMs: 1 });
    job.start();
    await until(() => progress.at(-1)?.done === LORE.length);
    expect(progress.at(-1)).toEqual({ kind: 'lore', done: LORE.length, total: LORE.length });
    // Only what was missing at restart is sent again.
    expect([...sent].sort()).toEqual([...missingAtRestart].sort());

    const search = createHybridSearch({ store, logger, embeddings: model });
    expect(store.lore.search('harbor', QUESTION, 2).map((hit) => hit.item.text)).not.toContain(ANSWER);
    const hybrid = await search.search(request);
    expect(hybrid.mode).toBe('hybrid');
    expect(hybrid.lore.map((hit) => hit.item.text)).toContain(ANSWER);
    expect(hybrid.memories.map((hit) => hit.item.text)).toEqual(['Wren promised the keeper to light the beacon at dusk.']);

    // The endpoint goes away: turns get BM25 results, and new rows wait for it to return.
    await server.close();
    const fallback = await createHybridSearch({ store, logger, embeddings: model }).search(request);
    expect(fallback.mode).toBe('bm25');
    expect(fallback.lore).toEqual(store.lore.search('harbor', QUESTION, 2));
    expect(logger.entries.some((entry) => entry.message === 'query embedding failed; using BM25 only')).toBe(true);

    store.memory.add('s1', 'The keeper lost his lamp in the storm.', [2], 1);
    job.kick();
    await until(() => logger.entries.some((entry) => entry.message === 'background embedding failed; will retry'));
    expect(store.vectors?.counts(model.id).memory).toEqual({ embedded: 1, total: 2 });
    await job.stop();
    store.close();
  });
});
