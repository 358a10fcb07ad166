import type Database from 'better-sqlite3';
import type { MessageRecord, MessageStore, NewMessage } from '../engine/ports.ts';
import type { ConnectionCaches } from './connection-caches.ts';
import { RecentMessages } from './recent-messages.ts';

interface MessageRow {
  id: number;
  session_id: string;
  role: MessageRecord['role'];
  content: string;
  character_id: string;
  status: MessageRecord['status'];
  model: string;
  tokens: number;
  reasoning: string;
  created_at: number;
  hidden: number;
}

/** A row as an array in COLUMNS order: reading long lists this way skips building a keyed object per row. */
type RawMessageRow = [number, string, MessageRecord['role'], string, string, MessageRecord['status'], string, number, string, number, number];

const COLUMNS = 'id, session_id, role, content, character_id, status, model, tokens, reasoning, created_at, hidden';

const toRecord = (row: MessageRow): MessageRecord => ({
  id: row.id,
  sessionId: row.session_id,
  role: row.role,
  content: row.content,
  characterId: row.character_id,
  status: row.status,
  model: row.model,
  tokens: row.tokens,
  reasoning: row.reasoning,
  createdAt: row.created_at,
  // Only hidden rows carry the key, so a shown message reads as it did before hiding existed.
  ...(row.hidden === 1 ? { hidden: true } : {}),
});

const fromRaw = ([id, sessionId, role, content, characterId, status, model, tokens, reasoning, createdAt, hidden]: RawMessageRow): MessageRecord => ({
  id,
  sessionId,
  role,
  content,
  characterId,
  status,
  model,
  tokens,
  reasoning,
  createdAt,
  ...(hidden === 1 ? { hidden: true } : {}),
});

/**
 * `now` stamps messages that arrive without `createdAt`. Updating or deleting an id that is
 * gone does nothing: a reply may finish after its session was deleted. `recent` answers from
 * a window of each session's newest messages kept in step with the writes made here;
 * `caches` says when it must forget (see connection-caches.ts).
 */
export function createMessageStore(db: Database.Database, now: () => number, caches: ConnectionCaches): MessageStore {
  const insert = db.prepare<Omit<MessageRow, 'id'>, MessageRow>(`
    INSERT INTO messages (session_id, role, content, character_id, status, model, tokens, reasoning, created_at, hidden)
    VALUES (@session_id, @role, @content, @character_id, @status, @model, @tokens, @reasoning, @created_at, @hidden)
    RETURNING ${COLUMNS}`);
  // One statement for every patch shape: a NULL parameter keeps the column as it is.
  const patch = db.prepare(`
    UPDATE messages SET
      content = coalesce(@content, content),
      status = coalesce(@status, status),
      tokens = coalesce(@tokens, tokens),
      reasoning = coalesce(@reasoning, reasoning),
      model = coalesce(@model, model),
      hidden = coalesce(@hidden, hidden)
    WHERE id = @id`);
  const selectOne = db.prepare<[number], MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE id = ?`);
  const selectAll = db.prepare<[string], RawMessageRow>(`SELECT ${COLUMNS} FROM messages WHERE session_id = ? ORDER BY id`).raw(true);
  // Walks the (session_id, id) index backwards from the newest row: cost grows with `limit`,
  // not with the session's length.
  const selectRecent = db
    .prepare<[string, number], RawMessageRow>(`
    SELECT * FROM (SELECT ${COLUMNS} FROM messages WHERE session_id = ? ORDER BY id DESC LIMIT ?)
    ORDER BY id`)
    .raw(true);
  const selectBetween = db
    .prepare<[string, number, number, number], RawMessageRow>(`
    SELECT * FROM (SELECT ${COLUMNS} FROM messages WHERE session_id = ? AND id > ? AND id < ? ORDER BY id DESC LIMIT ?)
    ORDER BY id`)
    .raw(true);
  const selectCount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM messages WHERE session_id = ?');
  const selectTokensByModel = db.prepare<[string], { model: string; tokens: number }>(
    "SELECT model, sum(tokens) AS tokens FROM messages WHERE session_id = ? AND role = 'assistant' GROUP BY model",
  );
  const remove = db.prepare('DELETE FROM messages WHERE id = ?');
  const markInterrupted = db.prepare("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'");
  const windows = new RecentMessages();
  caches.onReset(() => windows.clear());
  caches.onSessionChanged((sessionId) => windows.forgetSession(sessionId));
  const readRecent = (sessionId: string, limit: number): MessageRecord[] => selectRecent.all(sessionId, limit).map(fromRaw);

  return {
    append(message: NewMessage) {
      const row = insert.get({
        session_id: message.sessionId,
        role: message.role,
        content: message.content,
        character_id: message.characterId,
        status: message.status ?? 'complete',
        model: message.model ?? '',
        tokens: Math.round(message.tokens ?? 0),
        reasoning: message.reasoning ?? '',
        created_at: Math.round(message.createdAt ?? now()),
        hidden: message.hidden ? 1 : 0,
      });
      if (!row) throw new Error('INSERT … RETURNING gave no row');
      const record = toRecord(row);
      windows.appended(record);
      return record;
    },
    update(id, changes) {
      const { changes: changed } = patch.run({
        id,
        content: changes.content ?? null,
        status: changes.status ?? null,
        tokens: changes.tokens === undefined ? null : Math.round(changes.tokens),
        reasoning: changes.reasoning ?? null,
        model: changes.model ?? null,
        hidden: changes.hidden === undefined ? null : changes.hidden ? 1 : 0,
      });
      if (changed === 0 || !windows.holds(id)) return;
      const row = selectOne.get(id);
      if (row) windows.replaced(toRecord(row));
    },
    get(id) {
      const row = selectOne.get(id);
      return row ? toRecord(row) : undefined;
    },
    list(sessionId) {
      return selectAll.all(sessionId).map(fromRaw);
    },
    recent(sessionId, limit) {
      const wanted = Math.floor(limit);
      if (!(wanted > 0)) return [];
      caches.checkOthers();
      return windows.read(sessionId, wanted, (rows) => readRecent(sessionId, rows));
    },
    between(sessionId, afterId, beforeId, limit) {
      const wanted = Math.floor(limit);
      if (!(wanted > 0)) return [];
      return selectBetween.all(sessionId, afterId, beforeId, wanted).map(fromRaw);
    },
    count(sessionId) {
      return selectCount.get(sessionId)?.n ?? 0;
    },
    tokensByModel(sessionId) {
      return selectTokensByModel.all(sessionId);
    },
    delete(id) {
      remove.run(id);
      windows.removed(id);
    },
    recoverInterrupted() {
      const marked = markInterrupted.run().changes;
      if (marked > 0) windows.clear();
      return marked;
    },
  };
}
