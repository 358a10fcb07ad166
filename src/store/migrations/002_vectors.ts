import type { Migration } from './migration.ts';

/**
 * Embedding vectors, kept per (kind, model): a model's vectors are useless to another model.
 * Everything here is plain SQL, so a database opened without the sqlite-vec extension still
 * deletes sessions and re-syncs lore: triggers drop a row's vectors with the row (and when its
 * text changes), and `vector_garbage` remembers what the extension-backed coarse indexes
 * (created at run time, one per space) must forget the next time they are used.
 */
export const vectors: Migration = {
  version: 2,
  name: 'vectors',
  up: `
CREATE TABLE vector_spaces (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL CHECK (kind IN ('lore', 'memory')),
  model      TEXT NOT NULL,
  dimensions INTEGER NOT NULL CHECK (dimensions > 0),
  UNIQUE (kind, model)
) STRICT;

-- row_id is lore_chunks.id or memories.id (by the space's kind); both are AUTOINCREMENT, so
-- an id is never reused and a stale vector can never describe a newer row.
CREATE TABLE vectors (
  space_id  INTEGER NOT NULL REFERENCES vector_spaces(id) ON DELETE CASCADE,
  row_id    INTEGER NOT NULL,
  scope     TEXT NOT NULL,
  embedding BLOB NOT NULL,
  PRIMARY KEY (space_id, row_id)
) STRICT;
CREATE INDEX vectors_by_scope ON vectors (space_id, scope);

CREATE TABLE vector_garbage (
  space_id INTEGER NOT NULL,
  row_id   INTEGER NOT NULL,
  PRIMARY KEY (space_id, row_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER vectors_ad AFTER DELETE ON vectors BEGIN
  INSERT OR IGNORE INTO vector_garbage (space_id, row_id) VALUES (old.space_id, old.row_id);
END;

CREATE TRIGGER lore_chunks_vectors_ad AFTER DELETE ON lore_chunks BEGIN
  DELETE FROM vectors WHERE row_id = old.id AND space_id IN (SELECT id FROM vector_spaces WHERE kind = 'lore');
END;
CREATE TRIGGER lore_chunks_vectors_au AFTER UPDATE OF text ON lore_chunks BEGIN
  DELETE FROM vectors WHERE row_id = old.id AND space_id IN (SELECT id FROM vector_spaces WHERE kind = 'lore');
END;
CREATE TRIGGER memories_vectors_ad AFTER DELETE ON memories BEGIN
  DELETE FROM vectors WHERE row_id = old.id AND space_id IN (SELECT id FROM vector_spaces WHERE kind = 'memory');
END;
CREATE TRIGGER memories_vectors_au AFTER UPDATE OF text ON memories BEGIN
  DELETE FROM vectors WHERE row_id = old.id AND space_id IN (SELECT id FROM vector_spaces WHERE kind = 'memory');
END;
`,
};
