/**
 * The vector index, in the same SQLite file as everything else (needs the sqlite-vec extension
 * loaded on `db`). Vectors are exact float32 BLOBs in `vectors`, one "space" per (kind, model).
 * A scope (a world's lore, a session's memories) of up to `exactSearchLimit` vectors is ranked
 * exactly by cosine similarity, from an in-memory copy of its vectors (vector-cache.ts): reading
 * 10,000 BLOBs from SQLite per search cost ~35-90 ms on a busy machine, the copy 1-2 ms.
 *
 * Past that limit a scope is searched through a 4-bit copy of its vectors held in memory, built
 * in the background; its best few dozen rows are re-ranked exactly. Until that copy is ready
 * (or when it would not fit the cache), each space's 1-bit-per-dimension `vec0` index picks the
 * candidates instead. That index is slower (its KNN costs tens of milliseconds at 100,000 rows)
 * and, for the built-in model's sparse queries, its sign bits keep few of the true nearest rows
 * (about 4 % of the top 10 in bench/vectors.ts): it is the fallback, not the way.
 */
import type Database from 'better-sqlite3';
import type { LoreChunk, MemoryRecord, Scored, VectorCount, VectorIndex, VectorKind, VectorScope } from '../engine/ports.ts';
import { VectorCaches } from './vector-cache.ts';
import { matrixQuery } from './vector-matrix.ts';

export interface VectorStoreOptions {
  /** Scopes with more vectors than this are searched through a 4-bit copy (or the coarse index) and a re-rank. */
  exactSearchLimit?: number;
  /** How many coarse candidates per wanted result are re-ranked exactly. */
  oversample?: number;
  /** Memory for in-memory copies of searched scopes, least recently used dropped first. */
  cacheBytes?: number;
  /** Runs one slice of a background copy later (tests run them by hand). */
  schedule?: (work: () => void) => void;
}

export const DEFAULT_EXACT_SEARCH_LIMIT = 10_000;
/**
 * Holds the exact copy of a full 10,000-vector scope (512 dimensions: ~21 MB) next to the 4-bit
 * copy of a 100,000-vector one (~30 MB); a world of a few thousand chunks and a session's
 * memories take a few MB.
 */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;
// Re-ranking 4-bit candidates: at 100,000 built-in vectors, 80 candidates held the exact top 10
// in every measured query (40 held 99.5 %). vec0's KNN cost grows with k far more than with the
// row count (k = 300 costs ~4x k = 80), so its pool is the same small one.
const DEFAULT_OVERSAMPLE = 4;
const MIN_CANDIDATES = 80;
/** Garbage rows cleared per call, so one call never stalls on a huge deleted session. */
const PURGE_BATCH = 5000;

interface Space {
  id: number;
  dimensions: number;
}

const SOURCES: Record<VectorKind, { table: string; scope: string }> = {
  lore: { table: 'lore_chunks', scope: 'world_id' },
  memory: { table: 'memories', scope: 'session_id' },
};
const KINDS = Object.keys(SOURCES) as VectorKind[];

/** One prepared statement per kind, over that kind's source table. */
const perKind = <T>(make: (source: { table: string; scope: string }) => T): Record<VectorKind, T> =>
  Object.fromEntries(KINDS.map((kind) => [kind, make(SOURCES[kind])])) as Record<VectorKind, T>;

const coarseTable = (spaceId: number): string => `vector_coarse_${spaceId}`;

const toFloat32 = (vector: Float32Array | number[]): Float32Array =>
  vector instanceof Float32Array ? vector : Float32Array.from(vector);

const toBlob = (vector: Float32Array): Buffer => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

const isUsable = (vector: Float32Array): boolean => vector.length > 0 && vector.every(Number.isFinite) && vector.some((x) => x !== 0);

const scopeOf = (kind: VectorKind, scope: VectorScope): string | undefined => (kind === 'lore' ? scope.worldId : scope.sessionId);

const parseIds = (json: string): number[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is number => Number.isInteger(item)) : [];
  } catch {
    return [];
  }
};

const inOrder = <T extends { id: number }>(ids: readonly number[], rows: T[]): T[] => {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
};

export function createVectorStore(db: Database.Database, options: VectorStoreOptions = {}): VectorIndex {
  const exactSearchLimit = options.exactSearchLimit ?? DEFAULT_EXACT_SEARCH_LIMIT;
  const oversample = options.oversample ?? DEFAULT_OVERSAMPLE;
  const caches = new VectorCaches(db, { maxBytes: options.cacheBytes ?? DEFAULT_CACHE_BYTES, schedule: options.schedule });

  const selectSpace = db.prepare<[VectorKind, string], Space>('SELECT id, dimensions FROM vector_spaces WHERE kind = ? AND model = ?');
  const insertSpace = db.prepare<[VectorKind, string, number], Space>(
    'INSERT INTO vector_spaces (kind, model, dimensions) VALUES (?, ?, ?) RETURNING id, dimensions',
  );
  const deleteSpace = db.prepare<[number]>('DELETE FROM vector_spaces WHERE id = ?');
  const tableExists = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?");
  const upsertVector = db.prepare<[number, number, string, Buffer]>(`
    INSERT INTO vectors (space_id, row_id, scope, embedding) VALUES (?, ?, ?, ?)
    ON CONFLICT (space_id, row_id) DO UPDATE SET scope = excluded.scope, embedding = excluded.embedding`);
  const forgetGarbage = db.prepare<[number, number]>('DELETE FROM vector_garbage WHERE space_id = ? AND row_id = ?');
  const forgetSpaceGarbage = db.prepare<[number]>('DELETE FROM vector_garbage WHERE space_id = ?');
  const selectGarbage = db.prepare<[number], { space_id: number; row_id: number }>('SELECT space_id, row_id FROM vector_garbage LIMIT ?');
  const countScope = db.prepare<[number, string, number], { n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM vectors WHERE space_id = ? AND scope = ? LIMIT ?)',
  );
  const countSpace = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM vectors WHERE space_id = ?');
  const exactSearch = db.prepare<{ space: number; scope: string; q: Buffer; limit: number }, { row_id: number; distance: number }>(`
    SELECT row_id, vec_distance_cosine(embedding, @q) AS distance
    FROM vectors WHERE space_id = @space AND scope = @scope
    ORDER BY distance, row_id LIMIT @limit`);
  const rerank = db.prepare<{ space: number; scope: string; q: Buffer; ids: string; limit: number }, { row_id: number; distance: number }>(`
    SELECT row_id, vec_distance_cosine(embedding, @q) AS distance
    FROM vectors WHERE space_id = @space AND row_id IN (SELECT value FROM json_each(@ids)) AND scope = @scope
    ORDER BY distance, row_id LIMIT @limit`);
  const scopeLookup = perKind(({ table, scope }) =>
    db.prepare<[number], { scope: string }>(`SELECT ${scope} AS scope FROM ${table} WHERE id = ?`),
  );
  const missingRows = perKind(({ table }) =>
    db.prepare<[number, number, number], { rowId: number; text: string }>(`
      SELECT s.id AS rowId, s.text AS text FROM ${table} AS s
      WHERE s.id > ? AND NOT EXISTS (SELECT 1 FROM vectors AS v WHERE v.space_id = ? AND v.row_id = s.id)
      ORDER BY s.id LIMIT ?`),
  );
  const totals = perKind(({ table }) => db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`));
  const selectChunks = db.prepare<[string], { id: number; world_id: string; text: string; source: LoreChunk['source'] }>(
    'SELECT id, world_id, text, source FROM lore_chunks WHERE id IN (SELECT value FROM json_each(?))',
  );
  const selectMemories = db.prepare<[string], { id: number; session_id: string; text: string; message_ids: string; created_at: number }>(
    'SELECT id, session_id, text, message_ids, created_at FROM memories WHERE id IN (SELECT value FROM json_each(?))',
  );

  // Statements on the per-space coarse tables, prepared once each table is known to exist.
  const coarse = new Map<number, { insert: Database.Statement; remove: Database.Statement; search: Database.Statement }>();

  const openCoarse = (spaceId: number) => {
    const known = coarse.get(spaceId);
    if (known) return known;
    const table = coarseTable(spaceId);
    if ((tableExists.get(table)?.n ?? 0) === 0) return undefined;
    const statements = {
      insert: db.prepare(`INSERT INTO ${table} (rowid, scope, embedding) VALUES (?, ?, vec_quantize_binary(?))`),
      remove: db.prepare(`DELETE FROM ${table} WHERE rowid = ?`),
      // CROSS JOIN keeps the KNN as the outer loop; candidates whose vector is gone drop out.
      search: db.prepare(`
        WITH candidates AS (
          SELECT rowid AS row_id FROM ${table}
          WHERE embedding MATCH vec_quantize_binary(@q) AND k = @k AND scope = @scope)
        SELECT v.row_id, vec_distance_cosine(v.embedding, @q) AS distance
        FROM candidates AS c CROSS JOIN vectors AS v ON v.space_id = @space AND v.row_id = c.row_id
        ORDER BY distance, v.row_id LIMIT @limit`),
    };
    coarse.set(spaceId, statements);
    return statements;
  };

  const createCoarse = (space: Space) => {
    // bit[N] needs whole bytes; such a space is always searched exactly.
    if (space.dimensions % 8 !== 0) return undefined;
    const existing = openCoarse(space.id);
    if (existing) return existing;
    db.exec(`CREATE VIRTUAL TABLE ${coarseTable(space.id)} USING vec0(scope text, embedding bit[${space.dimensions}])`);
    return openCoarse(space.id);
  };

  /** Drops coarse entries whose exact vector a trigger deleted since the last call. */
  const purgeGarbage = (): void => {
    for (const { space_id: spaceId, row_id: rowId } of selectGarbage.all(PURGE_BATCH)) {
      openCoarse(spaceId)?.remove.run(BigInt(rowId));
      forgetGarbage.run(spaceId, rowId);
    }
  };

  /** A model whose vectors changed length is effectively a new model: its old vectors go. */
  const spaceFor = (kind: VectorKind, model: string, dimensions: number): Space => {
    const existing = selectSpace.get(kind, model);
    if (existing?.dimensions === dimensions) return existing;
    if (existing) {
      deleteSpace.run(existing.id);
      db.exec(`DROP TABLE IF EXISTS ${coarseTable(existing.id)}`);
      coarse.delete(existing.id);
      caches.forgetSpace(existing.id);
      forgetSpaceGarbage.run(existing.id);
    }
    const created = insertSpace.get(kind, model, dimensions);
    if (!created) throw new Error('INSERT … RETURNING gave no row');
    return created;
  };

  const upsert = db.transaction((kind: VectorKind, rowId: number, model: string, vector: Float32Array): boolean => {
    const scope = scopeLookup[kind].get(rowId)?.scope;
    if (scope === undefined) return false;
    purgeGarbage();
    const space = spaceFor(kind, model, vector.length);
    const blob = toBlob(vector);
    upsertVector.run(space.id, rowId, scope, blob);
    const statements = createCoarse(space);
    if (statements) {
      statements.remove.run(BigInt(rowId));
      statements.insert.run(BigInt(rowId), scope, blob);
    }
    // A re-embedded row may still be listed as garbage from its old vector; it is current now.
    forgetGarbage.run(space.id, rowId);
    return true;
  });

  type Hit = Scored<number>;
  const fromDistances = (rows: { row_id: number; distance: number }[]): Hit[] =>
    rows.filter((row) => Number.isFinite(row.distance)).map((row) => ({ item: row.row_id, score: 1 - row.distance }));

  /** Without an in-memory copy: the coarse index, or an exact scan where there is none. */
  const searchUncached = (space: Space, scope: string, q: Buffer, limit: number, large: boolean): Hit[] => {
    const statements = large ? openCoarse(space.id) : undefined;
    if (!statements) return fromDistances(exactSearch.all({ space: space.id, scope, q, limit }));
    const k = Math.max(limit * oversample, MIN_CANDIDATES);
    return fromDistances(statements.search.all({ space: space.id, scope, q, k, limit }) as { row_id: number; distance: number }[]);
  };

  const searchSpace = (space: Space, scope: string, query: Float32Array, limit: number): Hit[] => {
    caches.checkOthers();
    const cached = caches.current(space.id, space.dimensions, scope);
    const count = cached?.matrix.count ?? countScope.get(space.id, scope, exactSearchLimit + 1)?.n ?? 0;
    const large = count > exactSearchLimit;
    if (!large) {
      const matrix = cached?.form === 'exact' ? cached.matrix : caches.buildExact(space.id, space.dimensions, scope, count);
      if (matrix) return matrix.best(matrixQuery(query), limit).map((row) => ({ item: row.rowId, score: row.score }));
    } else if (cached?.form === 'compact') {
      const candidates = cached.matrix.best(matrixQuery(query), Math.max(limit * oversample, MIN_CANDIDATES));
      const ids = JSON.stringify(candidates.map((row) => row.rowId));
      return fromDistances(rerank.all({ space: space.id, scope, q: toBlob(query), ids, limit }));
    } else {
      caches.startCompact(space.id, space.dimensions, scope);
    }
    return searchUncached(space, scope, toBlob(query), limit, large);
  };

  return {
    upsert(kind, rowId, model, vector) {
      const floats = toFloat32(vector);
      if (!isUsable(floats)) throw new Error(`vector for ${kind} row ${rowId} is empty, all zero or not finite`);
      return upsert.immediate(kind, rowId, model, floats);
    },
    search(kind, scope, model, vector, limit): Scored<number>[] {
      const scopeId = scopeOf(kind, scope);
      const query = toFloat32(vector);
      if (limit <= 0 || scopeId === undefined || !isUsable(query)) return [];
      const space = selectSpace.get(kind, model);
      if (!space || space.dimensions !== query.length) return [];
      return searchSpace(space, scopeId, query, Math.floor(limit));
    },
    missing(kind, model, limit, afterRowId = 0) {
      if (limit <= 0) return [];
      const space = selectSpace.get(kind, model);
      return missingRows[kind].all(afterRowId, space?.id ?? -1, Math.floor(limit));
    },
    counts(model) {
      const count = (kind: VectorKind): VectorCount => {
        const space = selectSpace.get(kind, model);
        return { embedded: space ? (countSpace.get(space.id)?.n ?? 0) : 0, total: totals[kind].get()?.n ?? 0 };
      };
      return { lore: count('lore'), memory: count('memory') };
    },
    loreChunks(ids) {
      if (ids.length === 0) return [];
      const rows = selectChunks.all(JSON.stringify(ids)).map((row) => ({ id: row.id, worldId: row.world_id, text: row.text, source: row.source }));
      return inOrder(ids, rows);
    },
    memories(ids) {
      if (ids.length === 0) return [];
      const rows: MemoryRecord[] = selectMemories.all(JSON.stringify(ids)).map((row) => ({
        id: row.id,
        sessionId: row.session_id,
        text: row.text,
        messageIds: parseIds(row.message_ids),
        createdAt: row.created_at,
      }));
      return inOrder(ids, rows);
    },
  };
}
