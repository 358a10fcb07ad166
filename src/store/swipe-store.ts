import type Database from 'better-sqlite3';
import type { SwipeRecord, SwipeStore } from '../engine/ports.ts';

interface SwipeRow {
  message_id: number;
  position: number;
  content: string;
  status: SwipeRecord['status'];
  model: string;
  tokens: number;
  reasoning: string;
  created_at: number;
}

const COLUMNS = 'message_id, position, content, status, model, tokens, reasoning, created_at';

const toRecord = (row: SwipeRow): SwipeRecord => ({
  messageId: row.message_id,
  position: row.position,
  content: row.content,
  status: row.status,
  model: row.model,
  tokens: row.tokens,
  reasoning: row.reasoning,
  createdAt: row.created_at,
});

export function createSwipeStore(db: Database.Database): SwipeStore {
  const selectForMessage = db.prepare<[number], SwipeRow>(`SELECT ${COLUMNS} FROM message_swipes WHERE message_id = ? ORDER BY position`);
  const selectPositions = db.prepare<[string], { message_id: number; position: number }>(`
    SELECT s.message_id, s.position FROM message_swipes AS s JOIN messages AS m ON m.id = s.message_id
    WHERE m.session_id = ? ORDER BY s.message_id, s.position`);
  const upsert = db.prepare(`
    INSERT OR REPLACE INTO message_swipes (${COLUMNS})
    VALUES (@message_id, @position, @content, @status, @model, @tokens, @reasoning, @created_at)`);
  const removeOne = db.prepare<[number, number]>('DELETE FROM message_swipes WHERE message_id = ? AND position = ?');

  return {
    list(messageId) {
      return selectForMessage.all(messageId).map(toRecord);
    },
    positionsBySession(sessionId) {
      const positions = new Map<number, number[]>();
      for (const row of selectPositions.all(sessionId)) {
        const list = positions.get(row.message_id) ?? [];
        list.push(row.position);
        positions.set(row.message_id, list);
      }
      return positions;
    },
    put(record) {
      upsert.run({
        message_id: record.messageId,
        position: record.position,
        content: record.content,
        status: record.status,
        model: record.model,
        tokens: Math.round(record.tokens),
        reasoning: record.reasoning,
        created_at: Math.round(record.createdAt),
      });
    },
    remove(messageId, position) {
      removeOne.run(messageId, position);
    },
  };
}
