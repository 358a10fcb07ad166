/**
 * Lore and memory for one turn. BM25 from the store by default; hybrid (BM25 fused with vector
 * ranks) when the engine has an embedding model and the store a vector index. A failing index
 * never stops a turn.
 */
import type { Logger, LoreChunk, MemoryRecord, Scored, Store } from '../ports.ts';
import type { Runtime } from '../runtime.ts';

export const LORE_RESULTS = 4;
/** More than fit usually: memories of exchanges still in the history are passed over. */
export const MEMORY_RESULTS = 6;

export interface Retrieved {
  lore: Scored<LoreChunk>[];
  memories: Scored<MemoryRecord>[];
}

/** BM25 only, synchronously. */
export function retrieve(store: Store, logger: Logger, worldId: string, sessionId: string, query: string): Retrieved {
  return {
    lore: safely(logger, 'lore search failed', () => store.lore.search(worldId, query, LORE_RESULTS)),
    memories: safely(logger, 'memory search failed', () => store.memory.search(sessionId, query, MEMORY_RESULTS)),
  };
}

/**
 * Hybrid when available (the query embedding has a short deadline and falls back to BM25),
 * BM25 otherwise. Never rejects.
 */
export async function retrieveForTurn(rt: Runtime, worldId: string, sessionId: string, query: string, signal?: AbortSignal): Promise<Retrieved> {
  const { store, logger } = rt.deps;
  if (!rt.search) return retrieve(store, logger, worldId, sessionId, query);
  try {
    const found = await rt.search.search({ worldId, sessionId, query, loreLimit: LORE_RESULTS, memoryLimit: MEMORY_RESULTS, ...(signal ? { signal } : {}) });
    return { lore: found.lore, memories: found.memories };
  } catch (error) {
    logger.warn('hybrid search failed; using BM25', { error: String(error) });
    return retrieve(store, logger, worldId, sessionId, query);
  }
}

function safely<T>(logger: Logger, message: string, search: () => T[]): T[] {
  try {
    return search();
  } catch (error) {
    logger.warn(message, { error: String(error) });
    return [];
  }
}
