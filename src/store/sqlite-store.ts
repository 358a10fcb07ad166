import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import type { Clock, Logger, Store, VectorIndex } from '../engine/ports.ts';
import type { SearchBudget } from './fts-query.ts';
import { ConnectionCaches } from './connection-caches.ts';
import { guardMethods, StoreError, toStoreError } from './errors.ts';
import { createLoreStore } from './lore-store.ts';
import { createMemoryStore } from './memory-store.ts';
import { createMessageStore } from './message-store.ts';
import { migrate, requireCurrent } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { createProfileStore } from './profile-store.ts';
import { createSessionStore } from './session-store.ts';
import { createSwipeStore } from './swipe-store.ts';
import { createVectorStore, type VectorStoreOptions } from './vector-store.ts';
import { createTokenStore } from './token-store.ts';
import { createCatalogStore } from './catalog-store.ts';
import { createSummaryStore } from './summary-store.ts';
import { createManifestStore } from './manifest-store.ts';

export interface SqliteStoreOptions {
  logger?: Logger;
  /** Open without writing: no migrations, every write fails with a `StoreError`. */
  readonly?: boolean;
  /** How long a write waits for another connection's lock before failing as `locked`. */
  busyTimeoutMs?: number;
  /** Stamps messages appended without `createdAt`. */
  clock?: Clock;
  /** Bounds the cost of one lore or memory search (see `planFtsQuery`). */
  searchBudget?: SearchBudget;
  /**
   * Loads the sqlite-vec extension so `store.vectors` exists (default: the bundled one);
   * `false` skips it. If loading fails the store still opens, without `vectors`.
   */
  loadVectorExtension?: ((db: Database.Database) => void) | false;
  vectorSearch?: VectorStoreOptions;
}

/**
 * better-sqlite3 is synchronous: while it waits for another process's lock the whole event loop
 * waits, so every client stalls. A short wait covers a brief concurrent writer (`flower token`)
 * and otherwise fails fast with a clear "locked by another process" error.
 */
const DEFAULT_BUSY_TIMEOUT_MS = 1000;
const IN_MEMORY = ':memory:';

/**
 * Fails early, with a message naming the file, when the database or its folder is not
 * writable (WAL needs to create `-wal` and `-shm` next to it), rather than at the first write.
 */
function checkWritable(path: string): void {
  const target = existsSync(path) ? path : dirname(path);
  if (!existsSync(target)) {
    throw new StoreError('cannot_open', `cannot open database: ${path} (its folder does not exist)`, path);
  }
  for (const file of [target, dirname(path)]) {
    try {
      accessSync(file, constants.W_OK);
    } catch {
      throw new StoreError('readonly', `database is not writable: ${path} (check permissions of ${file})`, path);
    }
  }
}

function openDatabase(path: string, readonly: boolean, busyTimeoutMs: number, logger?: Logger): Database.Database {
  const onDisk = path !== IN_MEMORY;
  if (onDisk && !readonly) checkWritable(path);
  const db = new Database(path, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    if (onDisk && !readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') logger?.warn('store could not switch to WAL; using rollback journal', { path, mode });
    }
    db.pragma('foreign_keys = ON');
    // With WAL, NORMAL skips the fsync at each commit but not the write(): a committed
    // transaction is in the -wal file in the OS page cache when commit returns, so it survives
    // the process dying (kill -9, crash). Only a power cut or OS crash can drop the last
    // commits, and even then the database rolls back cleanly to an earlier commit.
    db.pragma('synchronous = NORMAL');
    const version = readonly ? requireCurrent(db, migrations, path) : migrate(db, migrations, path, logger);
    logger?.info('store opened', { path, schemaVersion: version, readonly });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Embeddings are optional: without the extension, BM25 search still works. */
function openVectors(db: Database.Database, path: string, options: SqliteStoreOptions): VectorIndex | undefined {
  const load = options.loadVectorExtension ?? ((target: Database.Database) => sqliteVec.load(target));
  if (load === false) return undefined;
  try {
    load(db);
  } catch (error) {
    options.logger?.warn('sqlite-vec extension did not load; vector search is off, BM25 still works', { path, error: String(error) });
    return undefined;
  }
  return guardMethods(createVectorStore(db, options.vectorSearch), path);
}

/** The SQLite adapter of the `Store` port. `path` may be `:memory:` (tests). */
export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const readonly = options.readonly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: Database.Database;
  try {
    db = openDatabase(path, readonly, busyTimeoutMs, options.logger);
  } catch (error) {
    throw toStoreError(error, path);
  }
  const clock = options.clock ?? { now: () => Date.now() };
  // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
  // writes can hit SQLITE_BUSY at the upgrade without the busy timeout ever waiting.
  const runInTransaction = db.transaction((work: () => unknown) => work());
  const begin = readonly ? runInTransaction.deferred : runInTransaction.immediate;
  const vectors = openVectors(db, path, options);
  const caches = new ConnectionCaches(db);

  return {
    profiles: guardMethods(createProfileStore(db), path),
    catalog: guardMethods(createCatalogStore(db, () => clock.now()), path),
    sessions: guardMethods(createSessionStore(db, caches), path),
    messages: guardMethods(createMessageStore(db, () => clock.now(), caches), path),
    lore: guardMethods(createLoreStore(db, options.searchBudget), path),
    memory: guardMethods(createMemoryStore(db, caches, options.searchBudget), path),
    ...(vectors ? { vectors } : {}),
    tokens: guardMethods(createTokenStore(db, () => clock.now()), path),
    summaries: guardMethods(createSummaryStore(db), path),
    swipes: guardMethods(createSwipeStore(db), path),
    manifests: guardMethods(createManifestStore(db), path),
    transaction<T>(work: () => T): T {
      try {
        return begin(work) as T;
      } catch (error) {
        // Rolled back: the caches may hold writes that never happened.
        caches.reset();
        throw toStoreError(error, path);
      }
    },
    close() {
      if (!db.open) return;
      try {
        if (!readonly) db.pragma('optimize');
      } finally {
        db.close();
      }
    },
  };
}
