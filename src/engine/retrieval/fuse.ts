/**
 * Reciprocal Rank Fusion (Cormack et al., 2009): an item's fused score is the sum over lists of
 * 1 / (k + rank), rank counted from 1. It needs only ranks, so BM25 scores and cosine
 * similarities, which share no scale, combine without tuning. k = 60 damps the gap between the
 * first few ranks so one list cannot drown the other.
 */
import type { Scored } from '../ports.ts';

export const RRF_K = 60;

/**
 * Fuses ranked lists of keys (best first; a key repeated within one list counts once, at its
 * best rank). Ties keep the order in which keys were first met, so the result is deterministic.
 */
export function fuseRanks<K>(lists: readonly (readonly K[])[], k = RRF_K): Scored<K>[] {
  const scores = new Map<K, number>();
  for (const list of lists) {
    const seen = new Set<K>();
    list.forEach((key, index) => {
      if (seen.has(key)) return;
      seen.add(key);
      scores.set(key, (scores.get(key) ?? 0) + 1 / (k + index + 1));
    });
  }
  // Map iteration follows insertion (first met), and Array.prototype.sort is stable.
  return [...scores].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score);
}
