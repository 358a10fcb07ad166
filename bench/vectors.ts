/**
 * Vector search: `store.vectors.search` latency with the built-in embedding model's vectors
 * (bench/corpus.ts text embedded by `builtin/hashed-ngrams-512`, so they have the structure real
 * lore gives them, not random noise) in one world of 1,000, 10,000 and 100,000 lore chunks, and
 * in one session of a database holding many sessions' memories. Each figure sits next to BM25
 * on the same rows, which a turn pays anyway. Recall: the share of the exact top 10 (cosine over
 * every vector of the scope, computed here in float64 from the stored BLOBs) that the store
 * returns, so speed is never bought with a silent loss of quality.
 */
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { Store, VectorIndex, VectorKind } from '../src/engine/ports.ts';
import { LORE_RESULTS, MEMORY_RESULTS } from '../src/engine/turn/retrieve.ts';
import { BUILTIN_EMBEDDING_MODELS, createBuiltinEmbeddings, createVectorizer, DEFAULT_BUILTIN_EMBEDDING_MODEL } from '../src/providers/builtin-embeddings.ts';
import { migrations } from '../src/store/migrations/index.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { Corpus } from './corpus.ts';
import { cachedDatabase } from './dataset.ts';
import type { Bench, BenchContext, Figure } from './figure.ts';
import { queries } from './retrieval.ts';
import { summarize, type Summary } from './stats.ts';

/** Bump when what is written below changes. */
const VECTORS_DATASET_VERSION = 1;
const SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
const MODEL_ID = createBuiltinEmbeddings(DEFAULT_BUILTIN_EMBEDDING_MODEL).id;
const DIMENSIONS = BUILTIN_EMBEDDING_MODELS[DEFAULT_BUILTIN_EMBEDDING_MODEL].dimensions;
const WORLD = 'vector_world';
/** What hybrid search asks of each list (src/engine/retrieval/hybrid-search.ts: 4 per result, at least 20). */
const LORE_POOL = Math.max(LORE_RESULTS * 4, 20);
const MEMORY_POOL = Math.max(MEMORY_RESULTS * 4, 20);
const RECALL_AT = 10;
const BATCH = 5_000;

interface Sizes {
  /** Lore chunks in the one world of each lore dataset. */
  lore: number[];
  sessions: number;
  memoriesPerSession: number;
  samples: number;
  recallQueries: number;
}

const FULL: Sizes = { lore: [1_000, 10_000, 100_000], sessions: 200, memoriesPerSession: 500, samples: 2_000, recallQueries: 100 };
const QUICK: Sizes = { lore: [1_000, 10_000, 20_000], sessions: 40, memoriesPerSession: 500, samples: 300, recallQueries: 40 };

type VectorStore = Store & { vectors: VectorIndex };

const n = (count: number): string => count.toLocaleString('en-US');
const sessionId = (index: number): string => index.toString(16).padStart(12, '0');

/** A cached dataset file under .bench/, built by `fill` first if missing (as bench/dataset.ts does). */
function ensureFile(name: string, fill: (store: VectorStore) => void, log: (message: string) => void): { path: string; buildSeconds: number } {
  const file = `vectors-v${VECTORS_DATASET_VERSION}-schema${SCHEMA_VERSION}-${name}.sqlite`;
  return cachedDatabase(
    file,
    'embeds every text once',
    (store) => {
      if (!store.vectors) throw new Error('sqlite-vec did not load');
      fill(store as VectorStore);
    },
    log,
  );
}

function batched(store: Store, count: number, add: (index: number) => void): void {
  for (let done = 0; done < count; done += BATCH) {
    const size = Math.min(BATCH, count - done);
    store.transaction(() => {
      for (let i = 0; i < size; i++) add(done + i);
    });
  }
}

function fillLore(chunks: number) {
  return (store: VectorStore) => {
    const corpus = new Corpus(1);
    const vectorOf = createVectorizer(DIMENSIONS);
    batched(store, chunks, () => {
      const text = corpus.loreChunk();
      const chunk = store.lore.attach(WORLD, text);
      store.vectors.upsert('lore', chunk.id, MODEL_ID, vectorOf(text));
    });
  };
}

/** Memories are added round-robin, so one session's rows are spread over the file as sessions grow side by side. */
function fillMemories(sessions: number, perSession: number) {
  return (store: VectorStore) => {
    const corpus = new Corpus(2);
    const vectorOf = createVectorizer(DIMENSIONS);
    for (let i = 0; i < sessions; i++) {
      store.sessions.create({ id: sessionId(i), profileId: 'default', worldId: WORLD, characterId: 'bench_hero', model: 'bench/narrator', parentId: null, createdAt: 1 });
    }
    batched(store, sessions * perSession, (index) => {
      const text = corpus.memory();
      const memory = store.memory.add(sessionId(index % sessions), text, [], index);
      store.vectors.upsert('memory', memory.id, MODEL_ID, vectorOf(text));
    });
  };
}

function time(search: (index: number) => unknown[], count: number, samples: number): Summary & { hitRate: number } {
  for (let i = 0; i < Math.min(50, count); i++) search(i); // warm the page cache and any in-memory cache
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const found = search(i % count);
    times.push(performance.now() - started);
    if (found.length > 0) hits++;
  }
  return { ...summarize(times), hitRate: hits / samples };
}

/** The exact top `k` row ids of every query, by float64 cosine over every stored vector of the scope. */
function exactTops(path: string, kind: VectorKind, scope: string, list: readonly number[][], k: number): number[][] {
  const db = new Database(path, { readonly: true });
  try {
    const space = db.prepare<[string, string], { id: number }>('SELECT id FROM vector_spaces WHERE kind = ? AND model = ?').get(kind, MODEL_ID);
    if (!space) throw new Error(`no ${kind} vectors for ${MODEL_ID} in ${path}`);
    const rows = db
      .prepare<[number, string], { row_id: number; embedding: Buffer }>('SELECT row_id, embedding FROM vectors WHERE space_id = ? AND scope = ?')
      .all(space.id, scope)
      .map((row) => {
        const vector = new Float32Array(Uint8Array.from(row.embedding).buffer);
        let norm = 0;
        for (const x of vector) norm += x * x;
        return { id: row.row_id, vector, norm: Math.sqrt(norm) };
      });
    return list.map((query) => {
      let queryNorm = 0;
      for (const x of query) queryNorm += x * x;
      const scored = rows.map((row) => {
        let dot = 0;
        for (let i = 0; i < query.length; i++) dot += (query[i] as number) * (row.vector[i] as number);
        return { id: row.id, score: dot / (row.norm * Math.sqrt(queryNorm)) };
      });
      return scored
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, k)
        .map((row) => row.id);
    });
  } finally {
    db.close();
  }
}

/** Mean share (%) of each exact top `k` that the search's own top `k` holds. */
function recall(found: readonly number[][], exact: readonly number[][], k: number): number {
  const shares = exact.map((top, i) => {
    const got = new Set((found[i] ?? []).slice(0, k));
    return top.filter((id) => got.has(id)).length / Math.max(1, Math.min(k, top.length));
  });
  return (shares.reduce((sum, share) => sum + share, 0) / Math.max(1, shares.length)) * 100;
}

interface Measured {
  vector: Summary & { hitRate: number };
  bm25: Summary & { hitRate: number };
  /** The first vector search after opening the file: pays for anything built lazily. */
  firstSearchMs: number;
  /** From the first search until the store's background work (if any) was done. */
  readyMs: number;
  recall: number;
}

/**
 * The store's background work (building the in-memory copy of a large scope), run on timers as
 * by default, but counted: the timed searches start once it is done, and its duration is reported.
 */
function countedSchedule() {
  let outstanding = 0;
  return {
    schedule(work: () => void) {
      outstanding++;
      setTimeout(() => {
        outstanding--;
        work();
      }, 0);
    },
    async idle(): Promise<void> {
      while (outstanding > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
}

async function measure(
  path: string,
  kind: VectorKind,
  scope: string,
  texts: readonly string[],
  vectors: readonly number[][],
  sizes: Sizes,
): Promise<Measured> {
  const background = countedSchedule();
  const store = createSqliteStore(path, { readonly: true, vectorSearch: { schedule: background.schedule } });
  try {
    const index = store.vectors;
    if (!index) throw new Error('sqlite-vec did not load');
    const vectorScope = kind === 'lore' ? { worldId: scope } : { sessionId: scope };
    const pool = kind === 'lore' ? LORE_POOL : MEMORY_POOL;
    const search = (i: number) => index.search(kind, vectorScope, MODEL_ID, vectors[i] ?? [], pool);
    const bm25 = (i: number) => (kind === 'lore' ? store.lore.search(scope, texts[i] ?? '', pool) : store.memory.search(scope, texts[i] ?? '', pool));
    const started = performance.now();
    search(0);
    const firstSearchMs = performance.now() - started;
    await background.idle();
    const readyMs = performance.now() - started;
    const vector = time(search, vectors.length, sizes.samples);
    const base = time(bm25, texts.length, sizes.samples);
    const recallList = vectors.slice(0, sizes.recallQueries);
    const found = recallList.map((_, i) => search(i).map((hit) => hit.item));
    const exact = exactTops(path, kind, scope, recallList, RECALL_AT);
    return { vector, bm25: base, firstSearchMs, readyMs, recall: recall(found, exact, RECALL_AT) };
  } finally {
    store.close();
  }
}

function figures(id: string, what: string, measured: Measured, bm25Label: string): Figure[] {
  return [
    { id: `${id}.p50`, label: `${what} p50`, unit: 'ms', value: measured.vector.p50, baseline: measured.bm25.p50, baselineLabel: bm25Label },
    { id: `${id}.p99`, label: `${what} p99`, unit: 'ms', value: measured.vector.p99, baseline: measured.bm25.p99, baselineLabel: bm25Label },
    { id: `${id}.recall`, label: `${what} top-${RECALL_AT} vs exact`, unit: '%', value: measured.recall, baseline: 100, baselineLabel: 'exact cosine ranking' },
  ];
}

export const vectorsBench: Bench = {
  name: 'vectors',
  description: 'vector search latency and recall vs exact, built-in model vectors, 1k-100k per scope',
  async run(ctx: BenchContext) {
    const sizes = ctx.quick ? QUICK : FULL;
    const vectorOf = createVectorizer(DIMENSIONS);
    const texts = queries(400);
    const vectors = texts.map((text) => vectorOf(text));
    const results: Record<string, Measured & { buildSeconds: number }> = {};
    const out: Figure[] = [];

    for (const chunks of sizes.lore) {
      const dataset = ensureFile(`lore${chunks}`, fillLore(chunks), ctx.log);
      ctx.log(`searching ${n(chunks)} lore vectors ${sizes.samples} times…`);
      const measured = await measure(dataset.path, 'lore', WORLD, texts, vectors, sizes);
      results[`lore${chunks}`] = { ...measured, buildSeconds: dataset.buildSeconds };
      out.push(...figures(`vectors.lore.${chunks}`, `vector search (${n(chunks)} lore chunks)`, measured, 'BM25, same chunks'));
    }

    const memories = sizes.sessions * sizes.memoriesPerSession;
    const dataset = ensureFile(`sessions${sizes.sessions}x${sizes.memoriesPerSession}`, fillMemories(sizes.sessions, sizes.memoriesPerSession), ctx.log);
    const searched = sessionId(Math.floor(sizes.sessions / 2));
    ctx.log(`searching one session's ${n(sizes.memoriesPerSession)} memories among ${n(memories)} ${sizes.samples} times…`);
    const measured = await measure(dataset.path, 'memory', searched, texts, vectors, sizes);
    results.memory = { ...measured, buildSeconds: dataset.buildSeconds };
    out.push(
      ...figures('vectors.memory', `memory vector search (1 of ${n(sizes.sessions)} sessions × ${n(sizes.memoriesPerSession)})`, measured, 'BM25, same session'),
    );

    return {
      figures: out,
      details: { model: MODEL_ID, dimensions: DIMENSIONS, sizes, pool: { lore: LORE_POOL, memory: MEMORY_POOL }, recallAt: RECALL_AT, results },
      notes: [
        `first search after opening: ${Object.entries(results).map(([name, r]) => `${name} ${r.firstSearchMs.toFixed(1)} ms`).join(', ')}`,
        `background work done after: ${Object.entries(results).map(([name, r]) => `${name} ${r.readyMs.toFixed(0)} ms`).join(', ')}`,
      ],
    };
  },
};
