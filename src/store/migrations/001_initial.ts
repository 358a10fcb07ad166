import type { Migration } from './migration.ts';

/**
 * The first schema. Full-text indexes are external-content FTS5 tables kept in step by
 * triggers, so every write to a chunk or memory updates its index in the same transaction,
 * and a cascaded delete (session → memories) cleans the index too.
 * `porter` wraps `unicode61 remove_diacritics 2` so "swords" finds "sword" and "café" finds "cafe".
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: `
CREATE TABLE profile_state (
  profile_id      TEXT PRIMARY KEY,
  model           TEXT NOT NULL,
  model_confirmed INTEGER NOT NULL CHECK (model_confirmed IN (0, 1)),
  world_id        TEXT NOT NULL,
  character_id    TEXT NOT NULL,
  active_rules    TEXT NOT NULL DEFAULT '[]',
  session_id      TEXT NOT NULL
) STRICT;

CREATE TABLE worlds (
  id        TEXT PRIMARY KEY,
  lore_hash TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  profile_id   TEXT NOT NULL,
  world_id     TEXT NOT NULL,
  character_id TEXT NOT NULL,
  model        TEXT NOT NULL,
  title        TEXT NOT NULL DEFAULT '',
  parent_id    TEXT REFERENCES sessions(id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_profile_recent ON sessions (profile_id, last_used_at);
CREATE INDEX sessions_by_parent ON sessions (parent_id);

CREATE TABLE messages (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id   TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  role         TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
  content      TEXT NOT NULL,
  character_id TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'cancelled', 'failed', 'interrupted')),
  model        TEXT NOT NULL DEFAULT '',
  tokens       INTEGER NOT NULL DEFAULT 0,
  reasoning    TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_by_session ON messages (session_id, id);
-- Partial index: start-up recovery finds cut replies without scanning every message.
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';

CREATE TABLE lore_chunks (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  world_id TEXT NOT NULL,
  text     TEXT NOT NULL,
  source   TEXT NOT NULL CHECK (source IN ('file', 'attached'))
) STRICT;
CREATE INDEX lore_chunks_by_world ON lore_chunks (world_id, source);

CREATE VIRTUAL TABLE lore_fts USING fts5(
  text,
  content = 'lore_chunks',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER lore_chunks_ai AFTER INSERT ON lore_chunks BEGIN
  INSERT INTO lore_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER lore_chunks_ad AFTER DELETE ON lore_chunks BEGIN
  INSERT INTO lore_fts (lore_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER lore_chunks_au AFTER UPDATE OF text ON lore_chunks BEGIN
  INSERT INTO lore_fts (lore_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO lore_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE memories (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  text        TEXT NOT NULL,
  message_ids TEXT NOT NULL DEFAULT '[]',
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX memories_by_session ON memories (session_id, id);

CREATE VIRTUAL TABLE memories_fts USING fts5(
  text,
  content = 'memories',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER memories_au AFTER UPDATE OF text ON memories BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO memories_fts (rowid, text) VALUES (new.id, new.text);
END;
`,
};
