/**
 * Retrieval latency: `store.lore.search` and `store.memory.search` with player prompts as
 * queries, on 100,000 lore chunks and 100,000 memories, next to the same searches on 1,000.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../src/engine/ports.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { LORE_RESULTS, MEMORY_RESULTS } from '../src/engine/turn/retrieve.ts';
import { Corpus } from './corpus.ts';
import { BENCH_WORLD, MEMORY_SESSION, ensureDataset, type DatasetSpec } from './dataset.ts';
import type { Bench, BenchContext, Figure } from './figure.ts';
import { summarize, type Summary } from './stats.ts';

export const LARGE: DatasetSpec = { loreChunks: 100_000, memories: 100_000, messages: 10_000 };
export const QUICK_LARGE: DatasetSpec = { loreChunks: 10_000, memories: 10_000, messages: 10_000 };
const SMALL: DatasetSpec = { loreChunks: 1_000, memories: 1_000, messages: 0 };

export const queries = (count: number): string[] => {
  const corpus = new Corpus(99);
  return Array.from({ length: count }, () => corpus.prompt());
};

/** Latency summary, and the share of searches that found anything (a fast search of nothing proves little). */
function timeSearches(search: (query: string) => unknown[], list: readonly string[], samples: number): Summary & { hitRate: number } {
  for (const query of list.slice(0, 50)) search(query); // warm the page cache and the probe cache
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < samples; i++) {
    const query = list[i % list.length] ?? '';
    const started = performance.now();
    const found = search(query);
    times.push(performance.now() - started);
    if (found.length > 0) hits++;
  }
  return { ...summarize(times), hitRate: hits / samples };
}

function measure(store: Store, list: readonly string[], samples: number) {
  return {
    lore: timeSearches((q) => store.lore.search(BENCH_WORLD, q, LORE_RESULTS), list, samples),
    memory: timeSearches((q) => store.memory.search(MEMORY_SESSION, q, MEMORY_RESULTS), list, samples),
  };
}

function openReadonly(path: string): Store {
  return createSqliteStore(path, { readonly: true });
}

export const retrievalBench: Bench = {
  name: 'retrieval',
  description: 'lore and memory search latency at 100k vs 1k',
  async run(ctx: BenchContext) {
    const largeSpec = ctx.quick ? QUICK_LARGE : LARGE;
    const large = ensureDataset(largeSpec, ctx.log);
    const small = ensureDataset(SMALL, ctx.log);
    const list = queries(400);
    const samples = ctx.quick ? 300 : 2_000;
    const run = (path: string) => {
      const store = openReadonly(path);
      try {
        return measure(store, list, samples);
      } finally {
        store.close();
      }
    };
    ctx.log(`searching ${samples} times in each of 4 indexes…`);
    const big = run(large.path);
    const base = run(small.path);
    const n = (count: number) => count.toLocaleString('en-US');
    const baselineLore = `${n(SMALL.loreChunks)} chunks`;
    const baselineMemory = `${n(SMALL.memories)} memories`;
    const figures: Figure[] = [
      { id: 'retrieval.lore.p50', label: `lore search p50 (${n(largeSpec.loreChunks)} chunks)`, unit: 'ms', value: big.lore.p50, baseline: base.lore.p50, baselineLabel: baselineLore },
      { id: 'retrieval.lore.p99', label: `lore search p99 (${n(largeSpec.loreChunks)} chunks)`, unit: 'ms', value: big.lore.p99, baseline: base.lore.p99, baselineLabel: baselineLore },
      { id: 'retrieval.memory.p50', label: `memory search p50 (${n(largeSpec.memories)} memories)`, unit: 'ms', value: big.memory.p50, baseline: base.memory.p50, baselineLabel: baselineMemory },
      { id: 'retrieval.memory.p99', label: `memory search p99 (${n(largeSpec.memories)} memories)`, unit: 'ms', value: big.memory.p99, baseline: base.memory.p99, baselineLabel: baselineMemory },
    ];
    return {
      figures,
      details: { large: largeSpec, small: SMALL, samples, distinctQueries: list.length, resultsPerSearch: { lore: LORE_RESULTS, memory: MEMORY_RESULTS }, large_summary: big, small_summary: base, buildSeconds: large.buildSeconds + small.buildSeconds },
      notes: [],
    };
  },
};
