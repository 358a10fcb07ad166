import type Database from 'better-sqlite3';
import type { MemoryRecord, MemoryStore, Scored } from '../engine/ports.ts';
import type { ConnectionCaches } from './connection-caches.ts';
import type { SearchBudget } from './fts-query.ts';
import { createRowCountCache, DEFAULT_SEARCH_BUDGET, planFtsQuery } from './fts-query.ts';
import { createTermReader } from './index-terms.ts';

interface MemoryRow {
  id: number;
  session_id: string;
  text: string;
  message_ids: string;
  created_at: number;
}

const COLUMNS = 'id, session_id, text, message_ids, created_at';

const parseIds = (json: string): number[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is number => Number.isInteger(item)) : [];
  } catch {
    return [];
  }
};

const toRecord = (row: MemoryRow): MemoryRecord => ({
  id: row.id,
  sessionId: row.session_id,
  text: row.text,
  messageIds: parseIds(row.message_ids),
  createdAt: row.created_at,
});

/**
 * Word row counts (see `planFtsQuery`) outlive a memory being added, which every turn does:
 * the new memory's own words are re-counted, the others stay exact. `caches` says when
 * everything must be counted again (another connection's write, a deleted session).
 */
export function createMemoryStore(db: Database.Database, caches: ConnectionCaches, budget: SearchBudget = DEFAULT_SEARCH_BUDGET): MemoryStore {
  const insert = db.prepare<[string, string, string, number], MemoryRow>(
    `INSERT INTO memories (session_id, text, message_ids, created_at) VALUES (?, ?, ?, ?) RETURNING ${COLUMNS}`,
  );
  // See lore-store.ts for why CROSS JOIN and the rowid range (a session's memories are mostly
  // written while it is played, so its range is mostly its own).
  const selectMatches = db.prepare<[string, number, number, string, number], MemoryRow & { rank: number }>(`
    SELECT m.id, m.session_id, m.text, m.message_ids, m.created_at, bm25(memories_fts) AS rank
    FROM memories_fts CROSS JOIN memories AS m ON m.id = memories_fts.rowid
    WHERE memories_fts MATCH ? AND memories_fts.rowid BETWEEN ? AND ? AND m.session_id = ?
    ORDER BY rank, m.id
    LIMIT ?`);
  const selectAllMatches = db.prepare<[string, string, number], MemoryRow & { rank: number }>(`
    SELECT m.id, m.session_id, m.text, m.message_ids, m.created_at, bm25(memories_fts) AS rank
    FROM memories_fts CROSS JOIN memories AS m ON m.id = memories_fts.rowid
    WHERE memories_fts MATCH ? AND m.session_id = ?
    ORDER BY rank, m.id
    LIMIT ?`);
  // Each subquery is one seek (memories_by_session, or the table's own rowid order).
  const selectRange = db.prepare<{ session: string }, { lo: number | null; hi: number | null; first: number; last: number }>(`
    SELECT (SELECT min(id) FROM memories WHERE session_id = @session) AS lo, (SELECT max(id) FROM memories WHERE session_id = @session) AS hi,
           (SELECT min(id) FROM memories) AS first, (SELECT max(id) FROM memories) AS last`);
  const probeRows = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM memories_fts WHERE memories_fts MATCH ? LIMIT ?)',
  );
  const words = createRowCountCache((match, cap) => probeRows.get(match, cap)?.n ?? 0, { termsOf: createTermReader(db, 'memories_fts') });
  caches.onReset(() => words.forget());
  caches.onSessionChanged(() => words.forget());
  const selectAll = db.prepare<[string], MemoryRow>(`SELECT ${COLUMNS} FROM memories WHERE session_id = ? ORDER BY id`);
  const removeForMessages = db.prepare<[string, string]>(`
    DELETE FROM memories
    WHERE session_id = ?
      AND EXISTS (SELECT 1 FROM json_each(memories.message_ids) AS built
                  WHERE built.value IN (SELECT value FROM json_each(?)))`);

  return {
    add(sessionId, text, messageIds, at) {
      const row = insert.get(sessionId, text, JSON.stringify(messageIds), Math.round(at));
      words.added([text]);
      if (!row) throw new Error('INSERT … RETURNING gave no row');
      return toRecord(row);
    },
    search(sessionId, query, limit): Scored<MemoryRecord>[] {
      if (limit <= 0) return [];
      caches.checkOthers();
      const range = selectRange.get({ session: sessionId });
      if (range?.lo == null || range.hi == null) return [];
      const match = planFtsQuery(query, words.countRows, budget);
      if (match === undefined) return [];
      // A range over the whole table filters nothing and only slows FTS5 down.
      const rows =
        range.lo <= range.first && range.hi >= range.last
          ? selectAllMatches.all(match, sessionId, Math.floor(limit))
          : selectMatches.all(match, range.lo, range.hi, sessionId, Math.floor(limit));
      return rows.map((row) => ({ item: toRecord(row), score: -row.rank }));
    },
    list(sessionId) {
      return selectAll.all(sessionId).map(toRecord);
    },
    deleteForMessages(sessionId, messageIds) {
      if (messageIds.length === 0) return;
      removeForMessages.run(sessionId, JSON.stringify(messageIds));
      words.forget();
    },
  };
}
