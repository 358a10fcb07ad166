import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../store/sqlite-store.ts';
import type { Store, VectorIndex } from '../ports.ts';
import { MemoryLogger } from '../testing/fakes.ts';
import { createEmbeddingIndexer, type EmbeddingIndexerOptions, type EmbeddingProgress } from './embedding-indexer.ts';
import { fakeEmbeddingModel, type FakeEmbeddingModel } from './fake-embedding-model.ts';

const session = (id: string) => ({ id, profileId: 'default', worldId: 'harbor', characterId: 'wren', model: 'm', parentId: null, createdAt: 1 });

function seeded(loreCount: number, memoryCount: number): Store & { vectors: VectorIndex } {
  const store = createSqliteStore(':memory:');
  if (!store.vectors) throw new Error('sqlite-vec did not load');
  store.lore.syncWorld({ id: 'harbor', lore: '' }, Array.from({ length: loreCount }, (_, i) => `lore ${i}: the beacon and the sea`));
  store.sessions.create(session('s1'));
  for (let i = 0; i < memoryCount; i++) store.memory.add('s1', `memory ${i}: the keeper at dusk`, [i], 1);
  return store as Store & { vectors: VectorIndex };
}

/** Lets the indexer run until `done()` holds; gives up after many event-loop turns, not after a time. */
async function until(done: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!done()) throw new Error('condition never held');
}

const allEmbedded = (store: Store & { vectors: VectorIndex }, model: FakeEmbeddingModel) => () => {
  const counts = store.vectors.counts(model.id);
  return counts.lore.embedded === counts.lore.total && counts.memory.embedded === counts.memory.total;
};

const indexer = (store: Store, model: FakeEmbeddingModel, extra: Partial<EmbeddingIndexerOptions> = {}) => {
  const progress: EmbeddingProgress[] = [];
  const logger = new MemoryLogger();
  const job = createEmbeddingIndexer({ store, model, logger, onProgress: (p) => progress.push(p), batchSize: 4, retryDelayMs: 1, ...extra });
  return { job, progress, logger };
};

describe('embedding indexer', () => {
  it('embeds everything missing in batches, memories first, reporting progress', async () => {
    const store = seeded(10, 5);
    const model = fakeEmbeddingModel();
    const { job, progress } = indexer(store, model);
    job.start();
    await until(allEmbedded(store, model));
    await job.stop();

    expect(model.calls.map((batch) => batch.length)).toEqual([4, 1, 4, 4, 2]);
    expect(progress).toEqual([
      { kind: 'memory', done: 4, total: 5 },
      { kind: 'memory', done: 5, total: 5 },
      { kind: 'lore', done: 4, total: 10 },
      { kind: 'lore', done: 8, total: 10 },
      { kind: 'lore', done: 10, total: 10 },
    ]);
    expect(store.vectors.missing('lore', model.id, 100)).toEqual([]);
  });

  it('resumes where a stopped indexer left off, embedding nothing twice', async () => {
    const store = seeded(12, 0);
    const first = fakeEmbeddingModel();
    // Stopped by its first progress report, as a shutdown mid-way would.
    let stopped: Promise<void> | undefined;
    const job = createEmbeddingIndexer({ store, model: first, logger: new MemoryLogger(), batchSize: 4, onProgress: () => (stopped ??= job.stop()) });
    job.start();
    await until(() => stopped !== undefined);
    await stopped;
    const embeddedBefore = store.vectors.counts(first.id).lore.embedded;
    expect(embeddedBefore).toBeGreaterThan(0);
    expect(embeddedBefore).toBeLessThan(12);

    const second = fakeEmbeddingModel(first.id);
    const again = indexer(store, second);
    again.job.start();
    await until(allEmbedded(store, second));
    await again.job.stop();
    const texts = [...first.calls, ...second.calls].flat();
    expect(new Set(texts).size).toBe(12);
    expect(texts).toHaveLength(12 + first.calls.flat().length - embeddedBefore);
  });

  it('picks up new rows after kick(), and new vectors for a new model', async () => {
    const store = seeded(2, 0);
    const model = fakeEmbeddingModel();
    const { job, progress } = indexer(store, model);
    job.start();
    await until(allEmbedded(store, model));
    store.memory.add('s1', 'a fresh memory of the beacon', [9], 1);
    job.kick();
    await until(allEmbedded(store, model));
    await job.stop();
    expect(progress.at(-1)).toEqual({ kind: 'memory', done: 1, total: 1 });

    const next = fakeEmbeddingModel('fake/other-model');
    const other = indexer(store, next);
    other.job.start();
    await until(allEmbedded(store, next));
    await other.job.stop();
    expect(next.calls.flat()).toHaveLength(3);
  });

  it('re-embeds everything when the model starts giving vectors of another length', async () => {
    const store = seeded(5, 0);
    const inner = fakeEmbeddingModel();
    let extra: number[] = [];
    const model = { id: inner.id, embed: async (texts: string[]) => (await inner.embed(texts)).map((vector) => [...vector, ...extra]) };
    const progress: EmbeddingProgress[] = [];
    const job = createEmbeddingIndexer({ store, model, logger: new MemoryLogger(), batchSize: 4, onProgress: (p) => progress.push(p) });
    job.start();
    await until(() => progress.at(-1)?.done === 5);
    extra = [0.5];
    store.lore.attach('harbor', 'lore attached later');
    job.kick();
    await until(() => inner.calls.flat().length === 5 + 6);
    await until(() => progress.at(-1)?.done === 6);
    await job.stop();
    expect(store.vectors.missing('lore', model.id, 100)).toEqual([]);
    expect(store.vectors.search('lore', { worldId: 'harbor' }, model.id, [...Array(9).fill(0.1), 0.5], 10)).toHaveLength(6);
  });

  it('retries after a failure and then finishes', async () => {
    const store = seeded(3, 0);
    const model = fakeEmbeddingModel();
    model.mode = 'fail';
    const { job, logger } = indexer(store, model);
    job.start();
    await until(() => model.calls.length >= 2);
    expect(store.vectors.counts(model.id).lore.embedded).toBe(0);
    expect(logger.entries[0]).toMatchObject({ level: 'warn', message: 'background embedding failed; will retry' });
    model.mode = 'ok';
    await until(allEmbedded(store, model));
    await job.stop();
  });

  it('stops while a call hangs, storing nothing', async () => {
    const store = seeded(3, 0);
    const model = fakeEmbeddingModel();
    model.mode = 'hang';
    const { job, logger } = indexer(store, model);
    job.start();
    await until(() => model.calls.length === 1);
    await job.stop();
    expect(store.vectors.counts(model.id).lore.embedded).toBe(0);
    expect(logger.entries).toEqual([]);
  });

  it('passes over rows it cannot embed instead of retrying them forever', async () => {
    const store = seeded(1, 0);
    store.memory.add('s1', '   ', [1], 1);
    const model = fakeEmbeddingModel();
    const { job, logger } = indexer(store, model);
    job.start();
    await until(() => store.vectors.counts(model.id).lore.embedded === 1);
    await job.stop();
    expect(model.calls.flat()).toEqual(['lore 0: the beacon and the sea']);
    expect(logger.entries.map((entry) => entry.fields?.why)).toEqual(['empty text']);
  });

  it('does nothing without a vector index', async () => {
    const store = createSqliteStore(':memory:', { loadVectorExtension: false });
    const logger = new MemoryLogger();
    const job = createEmbeddingIndexer({ store, model: fakeEmbeddingModel(), logger });
    job.start();
    job.kick();
    await job.stop();
    expect(logger.entries.map((entry) => entry.message)).toEqual(['embeddings configured but the store has no vector index; using BM25 only']);
  });
});
