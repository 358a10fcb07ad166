/**
 * Lore and memory for a turn: BM25 from the store, fused with vector search when an embedding
 * model is configured and the store has a vector index. Embeddings can only help: the query is
 * embedded under a short deadline, and any failure (endpoint down, slow, nothing indexed yet)
 * gives the BM25 results unchanged. After a failure the endpoint is left alone for a while, so
 * a down server costs one deadline per `retryAfterMs`, not one per turn.
 */
import type { Clock, EmbeddingModel, Logger, LoreChunk, MemoryRecord, Scored, Store, VectorKind } from '../ports.ts';
import { fuseRanks } from './fuse.ts';

export interface HybridSearchOptions {
  store: Store;
  logger: Logger;
  /** Absent: BM25 only. */
  embeddings?: EmbeddingModel;
  clock?: Clock;
  /** How long a turn waits for the query's embedding. */
  queryTimeoutMs?: number;
  /** After a failed query embedding, BM25 only for this long. */
  retryAfterMs?: number;
}

export interface HybridRequest {
  worldId: string;
  sessionId: string;
  query: string;
  loreLimit: number;
  memoryLimit: number;
  /** The turn's signal: a cancelled turn stops waiting for the embedding. */
  signal?: AbortSignal;
}

export interface HybridResults {
  lore: Scored<LoreChunk>[];
  memories: Scored<MemoryRecord>[];
  /** `hybrid` when vector ranks were fused in; `bm25` otherwise. */
  mode: 'bm25' | 'hybrid';
}

export interface HybridSearch {
  search(request: HybridRequest): Promise<HybridResults>;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 1500;
export const DEFAULT_RETRY_AFTER_MS = 30_000;
/** Each list offers this many candidates per wanted result to the fusion. */
const POOL_FACTOR = 4;
const MIN_POOL = 20;
/** Embedding models take a few hundred tokens well; a long message adds cost, not meaning. */
const MAX_QUERY_CHARS = 2000;

const poolSize = (limit: number): number => Math.max(limit * POOL_FACTOR, MIN_POOL);

function deadline(ms: number, signal?: AbortSignal): { signal: AbortSignal; expired: Promise<never>; clear: () => void } {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    const stop = (reason: Error) => {
      controller.abort(reason);
      reject(reason);
    };
    timer = setTimeout(() => stop(new Error(`query embedding took longer than ${ms} ms`)), ms);
    if (signal?.aborted) stop(new Error('turn cancelled'));
    else signal?.addEventListener('abort', () => stop(new Error('turn cancelled')), { once: true });
  });
  // The race below may settle first; this keeps a later rejection from being unhandled.
  expired.catch(() => {});
  return { signal: controller.signal, expired, clear: () => clearTimeout(timer) };
}

export function createHybridSearch(options: HybridSearchOptions): HybridSearch {
  const { store, logger, embeddings } = options;
  const clock = options.clock ?? { now: () => Date.now() };
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  let resting: number | undefined;

  const safely = <T>(what: string, search: () => T[]): T[] => {
    try {
      return search();
    } catch (error) {
      logger.warn(`${what} failed`, { error: String(error) });
      return [];
    }
  };

  const embedQuery = async (query: string, signal?: AbortSignal): Promise<number[] | undefined> => {
    if (!embeddings || !store.vectors || query.trim() === '') return undefined;
    if (resting !== undefined && clock.now() < resting) return undefined;
    const limit = deadline(queryTimeoutMs, signal);
    try {
      const [vector] = await Promise.race([embeddings.embed([query.slice(0, MAX_QUERY_CHARS)], limit.signal), limit.expired]);
      resting = undefined;
      return vector;
    } catch (error) {
      if (signal?.aborted) return undefined;
      resting = clock.now() + retryAfterMs;
      logger.warn('query embedding failed; using BM25 only', { model: embeddings.id, error: String(error), retryAfterMs });
      return undefined;
    } finally {
      limit.clear();
    }
  };

  /** BM25 and vector ranks of one kind, fused; BM25 alone when there are no vector hits. */
  const fuse = <T extends { id: number }>(
    kind: VectorKind,
    bm25: Scored<T>[],
    vectorHits: Scored<number>[],
    fetch: (ids: number[]) => T[],
    limit: number,
  ): Scored<T>[] => {
    if (vectorHits.length === 0) return bm25.slice(0, limit);
    const fused = fuseRanks([bm25.map((hit) => hit.item.id), vectorHits.map((hit) => hit.item)]).slice(0, limit);
    const known = new Map(bm25.map((hit) => [hit.item.id, hit.item]));
    const unknown = fused.map((entry) => entry.item).filter((id) => !known.has(id));
    for (const item of safely(`${kind} vector lookup`, () => fetch(unknown))) known.set(item.id, item);
    return fused.flatMap((entry) => {
      const item = known.get(entry.item);
      return item ? [{ item, score: entry.score }] : [];
    });
  };

  return {
    async search(request) {
      const { worldId, sessionId, query, loreLimit, memoryLimit } = request;
      const vectors = embeddings ? store.vectors : undefined;
      const loreBm25 = safely('lore search', () => store.lore.search(worldId, query, vectors ? poolSize(loreLimit) : loreLimit));
      const memoryBm25 = safely('memory search', () => store.memory.search(sessionId, query, vectors ? poolSize(memoryLimit) : memoryLimit));
      const queryVector = vectors && embeddings ? await embedQuery(query, request.signal) : undefined;
      if (!vectors || !embeddings || !queryVector) {
        return { lore: loreBm25.slice(0, loreLimit), memories: memoryBm25.slice(0, memoryLimit), mode: 'bm25' };
      }
      const model = embeddings.id;
      const loreHits = loreLimit > 0 ? safely('lore vector search', () => vectors.search('lore', { worldId }, model, queryVector, poolSize(loreLimit))) : [];
      const memoryHits =
        memoryLimit > 0 ? safely('memory vector search', () => vectors.search('memory', { sessionId }, model, queryVector, poolSize(memoryLimit))) : [];
      return {
        lore: fuse('lore', loreBm25, loreHits, (ids) => vectors.loreChunks(ids), loreLimit),
        memories: fuse('memory', memoryBm25, memoryHits, (ids) => vectors.memories(ids), memoryLimit),
        mode: loreHits.length > 0 || memoryHits.length > 0 ? 'hybrid' : 'bm25',
      };
    },
  };
}
