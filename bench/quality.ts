/**
 * Retrieval quality on the hand-labelled fixture (bench/fixtures): recall@3 — the share of
 * questions with a relevant chunk among the first three results — for the store's BM25 search
 * on the engine's own chunks, next to a naive keyword-overlap ranker on the same chunks.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chunkLore } from '../src/engine/chunk-lore.ts';
import { LORE_RESULTS } from '../src/engine/turn/retrieve.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { isRelevant, loadRetrievalFixture, type RetrievalQuestion } from './fixtures/retrieval-fixture.ts';
import type { Bench, Figure } from './figure.ts';

const K = 3;
const HYBRID_MODULE = resolve(import.meta.dirname, '..', 'src', 'engine', 'retrieval', 'hybrid-search.ts');

const words = (text: string): Set<string> =>
  new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length >= 3));

/** Ranks chunks by how many distinct question words (3+ letters) they contain; ties keep lore order. */
export function keywordOverlapTop(chunks: readonly string[], question: string, k: number): string[] {
  const asked = words(question);
  return chunks
    .map((text, index) => {
      const have = words(text);
      let overlap = 0;
      for (const word of asked) if (have.has(word)) overlap++;
      return { text, index, overlap };
    })
    .sort((a, b) => b.overlap - a.overlap || a.index - b.index)
    .slice(0, k)
    .map((ranked) => ranked.text);
}

const recall = (questions: readonly RetrievalQuestion[], top: (question: string) => string[]) => {
  const misses: string[] = [];
  for (const question of questions) {
    if (!top(question.question).some((text) => isRelevant(text, question))) misses.push(question.question);
  }
  return { recall: ((questions.length - misses.length) / questions.length) * 100, misses };
};

export const qualityBench: Bench = {
  name: 'quality',
  description: 'recall@3 on the labelled fixture world',
  async run() {
    const { world, questions } = loadRetrievalFixture();
    const chunks = chunkLore(world.lore);
    const store = createSqliteStore(':memory:');
    let bm25;
    try {
      store.lore.syncWorld(world, chunks);
      bm25 = recall(questions, (q) => store.lore.search(world.id, q, K).map((hit) => hit.item.text));
    } finally {
      store.close();
    }
    const naive = recall(questions, (q) => keywordOverlapTop(chunks, q, K));
    const baselineLabel = 'keyword overlap';
    const figures: Figure[] = [
      { id: 'quality.bm25.recall_at_3', label: `recall@3 BM25 (${questions.length} questions, ${chunks.length} chunks)`, unit: '%', value: bm25.recall, baseline: naive.recall, baselineLabel },
    ];
    const notes: string[] = [];
    if (existsSync(HYBRID_MODULE)) {
      notes.push('hybrid: src/engine/retrieval/hybrid-search.ts exists but this benchmark does not drive it yet (needs an embeddings endpoint)');
    } else {
      notes.push('hybrid: needs an embeddings endpoint (no hybrid search in the engine yet), not measured');
    }
    figures.push({ id: 'quality.hybrid.recall_at_3', label: 'recall@3 hybrid', unit: '%', value: null, baseline: null, baselineLabel: '', note: 'needs an embeddings endpoint' });
    return {
      figures,
      details: { k: K, engineResults: LORE_RESULTS, questions: questions.length, chunks: chunks.length, bm25Misses: bm25.misses, naiveMisses: naive.misses },
      notes,
    };
  },
};
