import type { Migration } from './migration.ts';

/**
 * Per-session memory beyond single exchanges (issue 5): the rolling summary of turns that fell
 * out of the history window, and the manifest of the last turn's prompt. Both belong to their
 * session and go with it.
 */
export const memory: Migration = {
  version: 4,
  name: 'memory',
  up: `
CREATE TABLE session_summaries (
  session_id    TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  text          TEXT NOT NULL,
  covers_up_to  INTEGER NOT NULL CHECK (covers_up_to >= 0),
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE context_manifests (
  session_id  TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  manifest    TEXT NOT NULL CHECK (json_valid(manifest)),
  created_at  INTEGER NOT NULL
) STRICT;
`,
};
