import type Database from 'better-sqlite3';
import type { SessionRecord, SessionStore } from '../engine/ports.ts';
import type { ConnectionCaches } from './connection-caches.ts';

interface SessionRow {
  id: string;
  profile_id: string;
  world_id: string;
  character_id: string;
  model: string;
  title: string;
  parent_id: string | null;
  created_at: number;
  last_used_at: number;
}

const COLUMNS = 'id, profile_id, world_id, character_id, model, title, parent_id, created_at, last_used_at';

const toRecord = (row: SessionRow): SessionRecord => ({
  id: row.id,
  profileId: row.profile_id,
  worldId: row.world_id,
  characterId: row.character_id,
  model: row.model,
  title: row.title,
  parentId: row.parent_id,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/**
 * `touch`, `setTitle`, `note`, `setNote` and `delete` take a bare id: the engine checks ownership with
 * `get(profileId, id)` first, and only `get`/`listRecent` are reachable with client input.
 * Writes to an id that no longer exists do nothing (a reply may finish after its session went).
 */
export function createSessionStore(db: Database.Database, caches: ConnectionCaches): SessionStore {
  const insert = db.prepare(`
    INSERT INTO sessions (${COLUMNS})
    VALUES (@id, @profileId, @worldId, @characterId, @model, @title, @parentId, @createdAt, @lastUsedAt)`);
  const insertStart = db.prepare(`
    INSERT INTO messages (session_id, role, content, character_id, status, model, tokens, reasoning, created_at)
    VALUES (?, 'assistant', ?, ?, 'complete', '', 0, '', ?)`);
  const selectOne = db.prepare<[string, string], SessionRow>(
    `SELECT ${COLUMNS} FROM sessions WHERE profile_id = ? AND id = ?`,
  );
  const selectRecent = db.prepare<[string, number], SessionRow>(
    `SELECT ${COLUMNS} FROM sessions WHERE profile_id = ? ORDER BY last_used_at DESC, rowid DESC LIMIT ?`,
  );
  const updateTouch = db.prepare('UPDATE sessions SET last_used_at = ? WHERE id = ?');
  const updateTitle = db.prepare('UPDATE sessions SET title = ? WHERE id = ?');
  const selectNote = db.prepare<[string], { note: string }>('SELECT note FROM sessions WHERE id = ?');
  const updateNote = db.prepare('UPDATE sessions SET note = ? WHERE id = ?');
  // Messages and memories go by ON DELETE CASCADE, and their FTS rows by trigger, so anything a
  // later migration hangs off a session the same way is removed by this one statement too.
  const remove = db.prepare('DELETE FROM sessions WHERE id = ?');

  const create = db.transaction((session: SessionRecord, startMessage: string | undefined) => {
    insert.run(session);
    if (startMessage !== undefined) {
      insertStart.run(session.id, startMessage, session.characterId, session.createdAt);
    }
  });
  const deleteSession = db.transaction((id: string) => {
    remove.run(id);
  });

  return {
    create(newSession, startMessage) {
      const session: SessionRecord = {
        id: newSession.id,
        profileId: newSession.profileId,
        worldId: newSession.worldId,
        characterId: newSession.characterId,
        model: newSession.model,
        parentId: newSession.parentId,
        title: newSession.title ?? '',
        createdAt: Math.round(newSession.createdAt),
        lastUsedAt: Math.round(newSession.createdAt),
      };
      create.immediate(session, startMessage);
      // A read of the id before it existed may be cached as an empty session.
      caches.sessionChanged(session.id);
      return session;
    },
    get(profileId, id) {
      const row = selectOne.get(profileId, id);
      return row ? toRecord(row) : undefined;
    },
    listRecent(profileId, limit) {
      if (limit <= 0) return [];
      return selectRecent.all(profileId, Math.floor(limit)).map(toRecord);
    },
    touch(id, at) {
      updateTouch.run(Math.round(at), id);
    },
    setTitle(id, title) {
      updateTitle.run(title, id);
    },
    note(id) {
      return selectNote.get(id)?.note ?? '';
    },
    setNote(id, note) {
      updateNote.run(note, id);
    },
    delete(id) {
      deleteSession.immediate(id);
      caches.sessionChanged(id);
    },
  };
}
