/**
 * Large benchmark datasets, built once into SQLite files under `.bench/` (gitignored) and
 * reused: indexing 100,000 lore chunks takes tens of seconds. A file's name carries
 * DATASET_VERSION (bump it when the generator changes), the store's schema version (a new
 * migration rebuilds the datasets) and the sizes.
 * Benchmarks that write (a turn appends messages) work on a copy.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Store } from '../src/engine/ports.ts';
import { migrations } from '../src/store/migrations/index.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { Corpus } from './corpus.ts';

export const DATASET_VERSION = 2;
export const BENCH_DIR = resolve(import.meta.dirname, '..', '.bench');

export const BENCH_WORLD = 'bench_world';
export const BENCH_CHARACTER = 'bench_hero';
export const BENCH_PROFILE = 'default';
/** The played session: `messages` messages and one memory per ten of them. Ids are 12 hex digits. */
export const BENCH_SESSION = 'bbbbbbbbbbbb';
/** A session holding only the `memories` memories that memory search is timed on. */
export const MEMORY_SESSION = 'cccccccccccc';
export const BENCH_MODEL = 'bench/narrator';

export interface DatasetSpec {
  /** In world BENCH_WORLD. */
  loreChunks: number;
  /** In MEMORY_SESSION. */
  memories: number;
  /** In BENCH_SESSION. */
  messages: number;
}

export interface Dataset {
  path: string;
  spec: DatasetSpec;
  /** Seconds spent building it now; 0 when the cached file was reused. */
  buildSeconds: number;
}

const SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;

const fileName = (spec: DatasetSpec): string =>
  `dataset-v${DATASET_VERSION}-schema${SCHEMA_VERSION}-lore${spec.loreChunks}-mem${spec.memories}-msg${spec.messages}.sqlite`;

/** The cached dataset file for `spec`, built first if missing. */
export function ensureDataset(spec: DatasetSpec, log: (message: string) => void): Dataset {
  return { spec, ...cachedDatabase(fileName(spec), 'once', (store) => fill(store, spec), log) };
}

/**
 * `.bench/<file>`, built by `fill` the first time (under a temporary name, renamed when done,
 * so an interrupted build is never taken for a finished one).
 */
export function cachedDatabase(file: string, what: string, fill: (store: Store) => void, log: (message: string) => void): { path: string; buildSeconds: number } {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, file);
  if (existsSync(path)) return { path, buildSeconds: 0 };
  log(`building ${file} (${what}; cached under .bench/)…`);
  const started = performance.now();
  const building = `${path}.building-${process.pid}`;
  const store = createSqliteStore(building);
  try {
    fill(store);
  } finally {
    store.close();
  }
  rmSync(`${building}-wal`, { force: true });
  rmSync(`${building}-shm`, { force: true });
  renameSync(building, path);
  const buildSeconds = (performance.now() - started) / 1000;
  log(`built in ${buildSeconds.toFixed(1)} s`);
  return { path, buildSeconds };
}

/** A private writable copy of a dataset, for benchmarks that change the database. */
export function copyDataset(dataset: Dataset, into: string): string {
  const path = join(into, 'flower.sqlite');
  copyFileSync(dataset.path, path);
  return path;
}

const BATCH = 5_000;

function fill(store: Store, spec: DatasetSpec): void {
  const corpus = new Corpus(1);
  const created = Date.UTC(2026, 0, 1);
  for (const id of [BENCH_SESSION, MEMORY_SESSION]) {
    store.sessions.create({ id, profileId: BENCH_PROFILE, worldId: BENCH_WORLD, characterId: BENCH_CHARACTER, model: BENCH_MODEL, parentId: null, createdAt: created });
  }
  store.sessions.setTitle(BENCH_SESSION, 'The long campaign');
  store.sessions.setTitle(MEMORY_SESSION, 'The memory palace');
  batched(store, spec.loreChunks, () => store.lore.attach(BENCH_WORLD, corpus.loreChunk()));
  let at = created;
  batched(store, spec.memories, () => store.memory.add(MEMORY_SESSION, corpus.memory(), [], (at += 1000)));
  batched(store, Math.floor(spec.messages / 10), () => store.memory.add(BENCH_SESSION, corpus.memory(), [], (at += 1000)));
  let turn = 0;
  batched(store, spec.messages, () => {
    const user = turn++ % 2 === 0;
    store.messages.append({
      sessionId: BENCH_SESSION,
      role: user ? 'user' : 'assistant',
      content: user ? corpus.prompt() : corpus.reply(),
      characterId: BENCH_CHARACTER,
      model: user ? '' : BENCH_MODEL,
      createdAt: (at += 1000),
    });
  });
}

function batched(store: Store, count: number, add: () => void): void {
  for (let done = 0; done < count; done += BATCH) {
    const size = Math.min(BATCH, count - done);
    store.transaction(() => {
      for (let i = 0; i < size; i++) add();
    });
  }
}
