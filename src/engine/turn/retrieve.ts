/** Lore and memory for one turn, ranked by the store. A failing index never stops a turn. */
import type { Logger, Store } from '../ports.ts';

export const LORE_RESULTS = 3;
export const MEMORY_RESULTS = 3;

export interface Retrieved {
  lore: string[];
  memories: string[];
}

export function retrieve(store: Store, logger: Logger, worldId: string, sessionId: string, query: string): Retrieved {
  return {
    lore: safely(logger, 'lore search failed', () => store.lore.search(worldId, query, LORE_RESULTS).map((hit) => hit.item.text)),
    memories: safely(logger, 'memory search failed', () =>
      store.memory.search(sessionId, query, MEMORY_RESULTS).map((hit) => hit.item.text),
    ),
  };
}

function safely(logger: Logger, message: string, search: () => string[]): string[] {
  try {
    return search();
  } catch (error) {
    logger.warn(message, { error: String(error) });
    return [];
  }
}
