import type Database from 'better-sqlite3';
import type { SessionSummary, SummaryStore } from '../engine/ports.ts';

interface SummaryRow {
  session_id: string;
  text: string;
  covers_up_to: number;
  updated_at: number;
}

/** One rolling summary per session; saving replaces it. A summary of a deleted session is not kept. */
export function createSummaryStore(db: Database.Database): SummaryStore {
  const selectOne = db.prepare<[string], SummaryRow>(
    'SELECT session_id, text, covers_up_to, updated_at FROM session_summaries WHERE session_id = ?',
  );
  const upsert = db.prepare<[{ session: string; text: string; covers: number; at: number }]>(`
    INSERT INTO session_summaries (session_id, text, covers_up_to, updated_at)
    SELECT @session, @text, @covers, @at WHERE EXISTS (SELECT 1 FROM sessions WHERE id = @session)
    ON CONFLICT (session_id) DO UPDATE SET text = excluded.text, covers_up_to = excluded.covers_up_to, updated_at = excluded.updated_at`);
  const remove = db.prepare<[string]>('DELETE FROM session_summaries WHERE session_id = ?');

  return {
    get(sessionId) {
      const row = selectOne.get(sessionId);
      if (!row) return undefined;
      return { sessionId: row.session_id, text: row.text, coversUpToMessageId: row.covers_up_to, updatedAt: row.updated_at };
    },
    save(summary: SessionSummary) {
      upsert.run({
        session: summary.sessionId,
        text: summary.text,
        covers: Math.max(0, Math.floor(summary.coversUpToMessageId)),
        at: Math.round(summary.updatedAt),
      });
    },
    delete(sessionId) {
      remove.run(sessionId);
    },
  };
}
