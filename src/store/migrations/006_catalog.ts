import type { Migration } from './migration.ts';

/**
 * A mirror of the content files' worlds and characters, so the database alone says what its
 * sessions' world and character ids were (exports, other tools, a content file deleted later).
 */
export const catalog: Migration = {
  version: 6,
  name: 'catalog',
  up: `
ALTER TABLE worlds ADD COLUMN name TEXT NOT NULL DEFAULT '';

CREATE TABLE characters (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  persona    TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
`,
};
