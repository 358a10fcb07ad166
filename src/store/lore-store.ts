import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { LoreChunk, LoreStore, Scored } from '../engine/ports.ts';
import type { SearchBudget } from './fts-query.ts';
import { createRowCountCache, DEFAULT_SEARCH_BUDGET, planFtsQuery } from './fts-query.ts';

interface ChunkRow {
  id: number;
  world_id: string;
  text: string;
  source: LoreChunk['source'];
}

const toChunk = (row: ChunkRow): LoreChunk => ({ id: row.id, worldId: row.world_id, text: row.text, source: row.source });

/**
 * Hashes the chunks rather than the lore text alone so a change to how the engine cuts lore
 * also re-indexes it. Length-prefixing keeps ["ab","c"] and ["a","bc"] apart.
 */
const hashChunks = (chunks: readonly string[]): string => {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(`${chunk.length}:`).update(chunk);
  return hash.digest('hex');
};

export function createLoreStore(db: Database.Database, budget: SearchBudget = DEFAULT_SEARCH_BUDGET): LoreStore {
  const selectHash = db.prepare<[string], { lore_hash: string }>('SELECT lore_hash FROM worlds WHERE id = ?');
  const upsertHash = db.prepare(
    'INSERT INTO worlds (id, lore_hash) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET lore_hash = excluded.lore_hash',
  );
  const removeFileChunks = db.prepare("DELETE FROM lore_chunks WHERE world_id = ? AND source = 'file'");
  const insertChunk = db.prepare<[string, string, LoreChunk['source']], ChunkRow>(
    'INSERT INTO lore_chunks (world_id, text, source) VALUES (?, ?, ?) RETURNING id, world_id, text, source',
  );
  // CROSS JOIN pins the FTS index as the outer loop: the planner must not walk the world's rows
  // and re-run the MATCH for each. The rowid range (the world's lowest to highest chunk id, from
  // the index) lets FTS5 skip other worlds' hits before it ranks them; a world's chunks are
  // written together, so the range is mostly its own. Hits of other worlds inside the range are
  // dropped by the join filter.
  const selectMatches = db.prepare<[string, number, number, string, number], ChunkRow & { rank: number }>(`
    SELECT c.id, c.world_id, c.text, c.source, bm25(lore_fts) AS rank
    FROM lore_fts CROSS JOIN lore_chunks AS c ON c.id = lore_fts.rowid
    WHERE lore_fts MATCH ? AND lore_fts.rowid BETWEEN ? AND ? AND c.world_id = ?
    ORDER BY rank, c.id
    LIMIT ?`);
  const selectAllMatches = db.prepare<[string, string, number], ChunkRow & { rank: number }>(`
    SELECT c.id, c.world_id, c.text, c.source, bm25(lore_fts) AS rank
    FROM lore_fts CROSS JOIN lore_chunks AS c ON c.id = lore_fts.rowid
    WHERE lore_fts MATCH ? AND c.world_id = ?
    ORDER BY rank, c.id
    LIMIT ?`);
  // One min() or max() per subquery, so each is a single seek in lore_chunks_by_world (or the
  // table's own rowid order).
  const selectRange = db.prepare<
    { world: string },
    { fileLo: number | null; fileHi: number | null; attachedLo: number | null; attachedHi: number | null; first: number; last: number }
  >(`
    SELECT (SELECT min(id) FROM lore_chunks WHERE world_id = @world AND source = 'file') AS fileLo,
           (SELECT max(id) FROM lore_chunks WHERE world_id = @world AND source = 'file') AS fileHi,
           (SELECT min(id) FROM lore_chunks WHERE world_id = @world AND source = 'attached') AS attachedLo,
           (SELECT max(id) FROM lore_chunks WHERE world_id = @world AND source = 'attached') AS attachedHi,
           (SELECT min(id) FROM lore_chunks) AS first, (SELECT max(id) FROM lore_chunks) AS last`);
  /** The world's chunk id range, `whole` when it spans the table (filtering by it would only cost). */
  const worldRange = (worldId: string): { lo: number; hi: number; whole: boolean } | undefined => {
    const row = selectRange.get({ world: worldId });
    if (!row) return undefined;
    const los = [row.fileLo, row.attachedLo].filter((id): id is number => typeof id === 'number');
    const his = [row.fileHi, row.attachedHi].filter((id): id is number => typeof id === 'number');
    if (los.length === 0 || his.length === 0) return undefined;
    const lo = Math.min(...los);
    const hi = Math.max(...his);
    return { lo, hi, whole: lo <= row.first && hi >= row.last };
  };
  const probeRows = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM lore_fts WHERE lore_fts MATCH ? LIMIT ?)',
  );
  const words = createRowCountCache((match, cap) => probeRows.get(match, cap)?.n ?? 0);
  const selectCount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM lore_chunks WHERE world_id = ?');

  const replaceFileChunks = db.transaction((worldId: string, hash: string, chunks: readonly string[]) => {
    removeFileChunks.run(worldId);
    for (const text of chunks) insertChunk.get(worldId, text, 'file');
    upsertHash.run(worldId, hash);
  });

  return {
    syncWorld(world, chunks) {
      const hash = hashChunks(chunks);
      if (selectHash.get(world.id)?.lore_hash === hash) return;
      replaceFileChunks.immediate(world.id, hash, chunks);
      words.forget();
    },
    attach(worldId, text) {
      const row = insertChunk.get(worldId, text, 'attached');
      words.forget();
      if (!row) throw new Error('INSERT … RETURNING gave no row');
      return toChunk(row);
    },
    search(worldId, query, limit): Scored<LoreChunk>[] {
      if (limit <= 0) return [];
      const range = worldRange(worldId);
      if (!range) return [];
      const match = planFtsQuery(query, words.countRows, budget);
      if (match === undefined) return [];
      // bm25() is lower-is-better and negative; the port wants higher-is-better.
      const rows = range.whole
        ? selectAllMatches.all(match, worldId, Math.floor(limit))
        : selectMatches.all(match, range.lo, range.hi, worldId, Math.floor(limit));
      return rows.map((row) => ({ item: toChunk(row), score: -row.rank }));
    },
    count(worldId) {
      return selectCount.get(worldId)?.n ?? 0;
    },
  };
}
