import type { Migration } from './migration.ts';

/**
 * Story control, part two: each session's author's note (`/note`), a standing instruction to
 * the narrator that goes with the session (deleted with it, copied by `/fork`), and messages
 * hidden from the narrator (`/hide`), which stay in the story but out of the prompt, the
 * memories and the summary. Existing rows get no note and stay shown.
 */
export const authorNoteHidden: Migration = {
  version: 7,
  name: 'author_note_hidden',
  up: `
ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
`,
};
