import type { Migration } from './migration.ts';

/**
 * Alternative replies ("swipes"). The chosen alternative stays the message row, so everything
 * that reads messages sees only it; the others are parked here at their position among the
 * message's alternatives and go away with the message.
 */
export const storyControl: Migration = {
  version: 5,
  name: 'story_control',
  up: `
CREATE TABLE message_swipes (
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL CHECK (position >= 0),
  content    TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'cancelled', 'failed', 'interrupted')),
  model      TEXT NOT NULL DEFAULT '',
  tokens     INTEGER NOT NULL DEFAULT 0,
  reasoning  TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, position)
) STRICT;
`,
};
