/**
 * Retrieval quality on the hand-labelled fixture (bench/fixtures): recall@3 — the share of
 * questions with a relevant chunk among the first three results — for the store's BM25 search
 * on the engine's own chunks, next to a naive keyword-overlap ranker on the same chunks. With an
 * OpenAI-format embeddings endpoint in the environment (FLOWER_BENCH_EMBEDDINGS_URL, _MODEL,
 * optional _KEY) it also measures the engine's hybrid search (BM25 fused with vectors).
 */
import type { World } from '../src/engine/content.ts';
import { chunkLore } from '../src/engine/chunk-lore.ts';
import type { Logger } from '../src/engine/ports.ts';
import { createHybridSearch } from '../src/engine/retrieval/hybrid-search.ts';
import { LORE_RESULTS } from '../src/engine/turn/retrieve.ts';
import { createOpenAiEmbeddings } from '../src/providers/embeddings.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { isRelevant, loadRetrievalFixture, type RetrievalQuestion } from './fixtures/retrieval-fixture.ts';
import type { Bench, BenchContext, Figure } from './figure.ts';

const K = 3;
/** Quality, not latency, is measured here: a slow endpoint must not quietly turn hybrid into BM25. */
const QUERY_TIMEOUT_MS = 60_000;
const UNMEASURED_NOTE = 'set FLOWER_BENCH_EMBEDDINGS_URL and FLOWER_BENCH_EMBEDDINGS_MODEL to measure';

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

type Recall = { recall: number; misses: string[] };

const recall = (questions: readonly RetrievalQuestion[], top: (question: string) => string[]): Recall => {
  const misses: string[] = [];
  for (const question of questions) {
    if (!top(question.question).some((text) => isRelevant(text, question))) misses.push(question.question);
  }
  return { recall: ((questions.length - misses.length) / questions.length) * 100, misses };
};

export interface EmbeddingsEndpoint {
  /** Where `/embeddings` hangs, ending in `/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
}

export function embeddingsEndpointFromEnv(env: NodeJS.ProcessEnv = process.env): EmbeddingsEndpoint | undefined {
  const baseUrl = env.FLOWER_BENCH_EMBEDDINGS_URL?.trim();
  const model = env.FLOWER_BENCH_EMBEDDINGS_MODEL?.trim();
  if (!baseUrl || !model) return undefined;
  const apiKey = env.FLOWER_BENCH_EMBEDDINGS_KEY?.trim();
  return { baseUrl, model, ...(apiKey ? { apiKey } : {}) };
}

/**
 * recall@3 of the engine's hybrid search: every chunk embedded up front, then each question
 * searched as a turn would. Throws if any query fell back to BM25, so the figure is never BM25
 * under another name.
 */
async function hybridRecall(
  world: World,
  chunks: string[],
  questions: readonly RetrievalQuestion[],
  endpoint: EmbeddingsEndpoint,
  ctx: BenchContext,
): Promise<Recall> {
  const model = createOpenAiEmbeddings({ ...endpoint, provider: 'bench' });
  const warnings: string[] = [];
  const logger: Logger = { info: () => {}, warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields ?? {})}`), error: () => {} };
  const store = createSqliteStore(':memory:');
  try {
    const vectors = store.vectors;
    if (!vectors) throw new Error('the store has no vector index (sqlite-vec did not load)');
    store.lore.syncWorld(world, chunks);
    const rows = vectors.missing('lore', model.id, chunks.length + 1);
    ctx.log(`embedding ${rows.length} chunks with ${model.id}`);
    const embedded = await model.embed(rows.map((row) => row.text));
    store.transaction(() => rows.forEach((row, index) => vectors.upsert('lore', row.rowId, model.id, embedded[index] ?? [])));
    const count = vectors.counts(model.id).lore;
    if (count.embedded !== count.total) throw new Error(`only ${count.embedded} of ${count.total} chunks have a vector`);
    const search = createHybridSearch({ store, logger, embeddings: model, queryTimeoutMs: QUERY_TIMEOUT_MS });
    const tops = new Map<string, string[]>();
    for (const question of questions) {
      const found = await search.search({ worldId: world.id, sessionId: 'bench', query: question.question, loreLimit: K, memoryLimit: 0 });
      if (found.mode !== 'hybrid') throw new Error(`"${question.question}" was answered by BM25 only: ${warnings.at(-1) ?? 'no vector hits'}`);
      tops.set(question.question, found.lore.map((hit) => hit.item.text));
    }
    return recall(questions, (q) => tops.get(q) ?? []);
  } finally {
    store.close();
  }
}

export const qualityBench: Bench = {
  name: 'quality',
  description: 'recall@3 on the labelled fixture world',
  async run(ctx) {
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
    const hybridFigure = { id: 'quality.hybrid.recall_at_3', label: 'recall@3 hybrid', unit: '%', baseline: bm25.recall, baselineLabel: 'BM25' } as const;
    const endpoint = embeddingsEndpointFromEnv();
    let hybrid: Recall | undefined;
    if (!endpoint) {
      notes.push(`hybrid: not measured (${UNMEASURED_NOTE})`);
      figures.push({ ...hybridFigure, value: null, baseline: null, baselineLabel: '', note: UNMEASURED_NOTE });
    } else {
      try {
        hybrid = await hybridRecall(world, chunks, questions, endpoint, ctx);
        notes.push(`hybrid: embeddings model "${endpoint.model}" at ${endpoint.baseUrl}; the figure is only as meaningful as that model`);
        figures.push({ ...hybridFigure, value: hybrid.recall });
      } catch (error) {
        const problem = error instanceof Error ? error.message : String(error);
        notes.push(`hybrid: not measured: ${problem}`);
        figures.push({ ...hybridFigure, value: null, baseline: null, baselineLabel: '', note: 'embeddings endpoint failed, see notes' });
      }
    }
    return {
      figures,
      details: {
        k: K,
        engineResults: LORE_RESULTS,
        questions: questions.length,
        chunks: chunks.length,
        bm25Misses: bm25.misses,
        naiveMisses: naive.misses,
        ...(endpoint ? { embeddingsModel: endpoint.model, embeddingsUrl: endpoint.baseUrl } : {}),
        ...(hybrid ? { hybridMisses: hybrid.misses } : {}),
      },
      notes,
    };
  },
};
