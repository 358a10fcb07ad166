/**
 * Retrieval quality on the hand-labelled fixture (bench/fixtures): recall@3 — the share of
 * questions with a relevant chunk among the first three results — on two question sets: the
 * clean questions and the same questions misspelt as a player might type them. Measured for the
 * store's BM25 search on the engine's own chunks (next to a naive keyword-overlap ranker), and
 * for the engine's hybrid search (BM25 fused with vectors) with Flower's built-in embedding
 * model, always. With an OpenAI-format embeddings endpoint in the environment
 * (FLOWER_BENCH_EMBEDDINGS_URL, _MODEL, optional _KEY) hybrid is also measured with that model.
 */
import type { World } from '../src/engine/content.ts';
import { chunkLore } from '../src/engine/chunk-lore.ts';
import type { EmbeddingModel, Logger } from '../src/engine/ports.ts';
import { createHybridSearch } from '../src/engine/retrieval/hybrid-search.ts';
import { LORE_RESULTS } from '../src/engine/turn/retrieve.ts';
import { createBuiltinEmbeddings, DEFAULT_BUILTIN_EMBEDDING_MODEL } from '../src/providers/builtin-embeddings.ts';
import { createOpenAiEmbeddings } from '../src/providers/embeddings.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { Corpus } from './corpus.ts';
import { isRelevant, loadMisspeltQuestions, loadRetrievalFixture, type RetrievalQuestion } from './fixtures/retrieval-fixture.ts';
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

/** Questions `baseline` answered that `other` misses: what switching to `other` would lose. */
const lost = (baseline: Recall, other: Recall): string[] => other.misses.filter((question) => !baseline.misses.includes(question));

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

interface QuestionSets {
  clean: readonly RetrievalQuestion[];
  typos: readonly RetrievalQuestion[];
}

type SetName = keyof QuestionSets;

interface HybridRecall {
  hybrid: Record<SetName, Recall>;
  /** The model's vector search alone, unfused: what the vectors contribute by themselves. */
  vectorsOnly: Record<SetName, Recall>;
}

/**
 * recall@3 of the engine's hybrid search on both question sets: every chunk embedded up front,
 * then each question searched as a turn would. Throws if any query fell back to BM25, so the
 * figure is never BM25 under another name.
 */
async function hybridRecall(world: World, chunks: string[], sets: QuestionSets, model: EmbeddingModel, ctx: BenchContext): Promise<HybridRecall> {
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
    const measure = async (questions: readonly RetrievalQuestion[]): Promise<{ hybrid: Recall; vectorsOnly: Recall }> => {
      const fused = new Map<string, string[]>();
      const alone = new Map<string, string[]>();
      for (const { question } of questions) {
        const found = await search.search({ worldId: world.id, sessionId: 'bench', query: question, loreLimit: K, memoryLimit: 0 });
        if (found.mode !== 'hybrid') throw new Error(`"${question}" was answered by BM25 only: ${warnings.at(-1) ?? 'no vector hits'}`);
        fused.set(question, found.lore.map((hit) => hit.item.text));
        const [queryVector] = await model.embed([question]);
        const ids = vectors.search('lore', { worldId: world.id }, model.id, queryVector ?? [], K).map((hit) => hit.item);
        alone.set(question, vectors.loreChunks(ids).map((chunk) => chunk.text));
      }
      return { hybrid: recall(questions, (q) => fused.get(q) ?? []), vectorsOnly: recall(questions, (q) => alone.get(q) ?? []) };
    };
    const clean = await measure(sets.clean);
    const typos = await measure(sets.typos);
    return { hybrid: { clean: clean.hybrid, typos: typos.hybrid }, vectorsOnly: { clean: clean.vectorsOnly, typos: typos.vectorsOnly } };
  } finally {
    store.close();
  }
}


/** recall@3 of the store's BM25 search on both question sets. */
function bm25Recall(world: World, chunks: string[], sets: QuestionSets): Record<SetName, Recall> {
  const store = createSqliteStore(':memory:');
  try {
    store.lore.syncWorld(world, chunks);
    const top = (q: string) => store.lore.search(world.id, q, K).map((hit) => hit.item.text);
    return { clean: recall(sets.clean, top), typos: recall(sets.typos, top) };
  } finally {
    store.close();
  }
}

/**
 * Synthetic passages added to the fixture's lore (bench/corpus.ts: names and common words, none
 * relevant to any question): enough that the world has over 10,000 vectors, where the vector
 * store pre-selects candidates through its 1-bit coarse index instead of ranking them all.
 */
const distractorCount = (quick: boolean): number => (quick ? 11_000 : 20_000);

/** BM25 and hybrid with `model` on the fixture among distractors: does the gain hold in a big world? */
async function atScale(
  world: World,
  chunks: string[],
  sets: QuestionSets,
  model: EmbeddingModel,
  plain: Record<SetName, Recall>,
  ctx: BenchContext,
): Promise<Figure[]> {
  const count = distractorCount(ctx.quick);
  const corpus = new Corpus(11);
  const crowded = [...chunks, ...Array.from({ length: count }, () => corpus.loreChunk())];
  const where = `+${count.toLocaleString('en-US')} synthetic chunks`;
  const bm25 = bm25Recall(world, crowded, sets);
  const hybrid = (await hybridRecall(world, crowded, sets, model, ctx)).hybrid;
  const figure = (set: SetName, what: 'bm25' | 'hybrid_builtin', value: number, baseline: number, baselineLabel: string): Figure => ({
    id: `quality.scale.${set === 'typos' ? 'typos.' : ''}${what}.recall_at_3`,
    label: `recall@3 ${what === 'bm25' ? 'BM25' : `hybrid, ${model.id}`}${set === 'typos' ? ', misspelt' : ''}, ${where}`,
    unit: '%',
    value,
    baseline,
    baselineLabel,
  });
  return [
    figure('clean', 'bm25', bm25.clean.recall, plain.clean.recall, 'BM25, fixture only'),
    figure('typos', 'bm25', bm25.typos.recall, plain.typos.recall, 'BM25, misspelt, fixture only'),
    figure('clean', 'hybrid_builtin', hybrid.clean.recall, bm25.clean.recall, 'BM25, same chunks'),
    figure('typos', 'hybrid_builtin', hybrid.typos.recall, bm25.typos.recall, 'BM25, misspelt, same chunks'),
  ];
}

/** Hybrid figures for one embedding model, or unmeasured ones saying why. */
async function hybridFigures(
  label: string,
  idPart: string,
  measure: () => Promise<HybridRecall>,
  bm25: Record<SetName, Recall>,
  sizes: Record<SetName, number>,
): Promise<{ figures: Figure[]; result?: HybridRecall; problem?: string }> {
  const figure = (set: SetName, value: number | null, note?: string): Figure => ({
    id: set === 'clean' ? `quality.${idPart}.recall_at_3` : `quality.typos.${idPart}.recall_at_3`,
    label: `recall@3 hybrid, ${label}${set === 'typos' ? `, misspelt (${sizes.typos})` : ''}`,
    unit: '%',
    value,
    baseline: value === null ? null : bm25[set].recall,
    baselineLabel: value === null ? '' : set === 'typos' ? 'BM25, misspelt' : 'BM25',
    ...(note ? { note } : {}),
  });
  try {
    const result = await measure();
    return { figures: [figure('clean', result.hybrid.clean.recall), figure('typos', result.hybrid.typos.recall)], result };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { figures: [figure('clean', null, 'failed, see notes'), figure('typos', null, 'failed, see notes')], problem };
  }
}

export const qualityBench: Bench = {
  name: 'quality',
  description: 'recall@3 on the labelled fixture world, clean and misspelt questions',
  async run(ctx) {
    const { world, questions } = loadRetrievalFixture();
    const sets: QuestionSets = { clean: questions, typos: loadMisspeltQuestions(questions) };
    const sizes = { clean: sets.clean.length, typos: sets.typos.length };
    const chunks = chunkLore(world.lore);
    const bm25 = bm25Recall(world, chunks, sets);
    const naive = recall(sets.clean, (q) => keywordOverlapTop(chunks, q, K));
    const figures: Figure[] = [
      { id: 'quality.bm25.recall_at_3', label: `recall@3 BM25 (${sizes.clean} questions, ${chunks.length} chunks)`, unit: '%', value: bm25.clean.recall, baseline: naive.recall, baselineLabel: 'keyword overlap' },
      { id: 'quality.typos.bm25.recall_at_3', label: `recall@3 BM25, misspelt (${sizes.typos} questions)`, unit: '%', value: bm25.typos.recall, baseline: bm25.clean.recall, baselineLabel: 'BM25, spelt right' },
    ];
    const notes: string[] = [];
    const details: Record<string, unknown> = {
      k: K,
      engineResults: LORE_RESULTS,
      questions: sizes.clean,
      misspeltQuestions: sizes.typos,
      chunks: chunks.length,
      bm25Misses: bm25.clean.misses,
      bm25MisspeltMisses: bm25.typos.misses,
      naiveMisses: naive.misses,
    };

    const builtin = createBuiltinEmbeddings(DEFAULT_BUILTIN_EMBEDDING_MODEL);
    const measuredBuiltin = await hybridFigures(builtin.id, 'hybrid_builtin', () => hybridRecall(world, chunks, sets, builtin, ctx), bm25, sizes);
    figures.push(...measuredBuiltin.figures);
    if (measuredBuiltin.problem) notes.push(`hybrid with ${builtin.id}: not measured: ${measuredBuiltin.problem}`);
    if (measuredBuiltin.result) {
      const { hybrid, vectorsOnly } = measuredBuiltin.result;
      details.builtin = {
        model: builtin.id,
        hybridMisses: hybrid.clean.misses,
        hybridMisspeltMisses: hybrid.typos.misses,
        lostVsBm25: [...lost(bm25.clean, hybrid.clean), ...lost(bm25.typos, hybrid.typos)],
        vectorsOnlyRecall: { clean: vectorsOnly.clean.recall, misspelt: vectorsOnly.typos.recall },
      };
      notes.push(
        `${builtin.id} vectors alone (no BM25): recall@3 ${vectorsOnly.clean.recall.toFixed(1)} % clean, ${vectorsOnly.typos.recall.toFixed(1)} % misspelt`,
      );
    }

    try {
      figures.push(...(await atScale(world, chunks, sets, builtin, bm25, ctx)));
    } catch (error) {
      notes.push(`hybrid with ${builtin.id} among synthetic chunks: not measured: ${error instanceof Error ? error.message : String(error)}`);
    }

    const endpoint = embeddingsEndpointFromEnv();
    if (!endpoint) {
      notes.push(`hybrid with an endpoint model: not measured (${UNMEASURED_NOTE})`);
      for (const [id, label] of [
        ['quality.hybrid.recall_at_3', 'recall@3 hybrid, endpoint model'],
        ['quality.typos.hybrid.recall_at_3', 'recall@3 hybrid, endpoint model, misspelt'],
      ] as const) {
        figures.push({ id, label, unit: '%', value: null, baseline: null, baselineLabel: '', note: UNMEASURED_NOTE });
      }
    } else {
      const model = createOpenAiEmbeddings({ ...endpoint, provider: 'bench' });
      const measured = await hybridFigures(`"${endpoint.model}"`, 'hybrid', () => hybridRecall(world, chunks, sets, model, ctx), bm25, sizes);
      figures.push(...measured.figures);
      if (measured.problem) notes.push(`hybrid with "${endpoint.model}": not measured: ${measured.problem}`);
      else notes.push(`hybrid: embeddings model "${endpoint.model}" at ${endpoint.baseUrl}; the figure is only as meaningful as that model`);
      details.endpoint = {
        embeddingsModel: endpoint.model,
        embeddingsUrl: endpoint.baseUrl,
        ...(measured.result
          ? {
              hybridMisses: measured.result.hybrid.clean.misses,
              hybridMisspeltMisses: measured.result.hybrid.typos.misses,
              lostVsBm25: [...lost(bm25.clean, measured.result.hybrid.clean), ...lost(bm25.typos, measured.result.hybrid.typos)],
            }
          : {}),
      };
    }
    return { figures, details, notes };
  },
};
