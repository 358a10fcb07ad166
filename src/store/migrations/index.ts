import { initial } from './001_initial.ts';
import { vectors } from './002_vectors.ts';
import { accessTokens } from './003_access_tokens.ts';
import { memory } from './004_memory.ts';
import { storyControl } from './005_story_control.ts';
import { catalog } from './006_catalog.ts';
import { authorNoteHidden } from './007_author_note_hidden.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** Every schema step, oldest first. Add a new file and append it here; never edit a shipped one. */
export const migrations: readonly Migration[] = [initial, vectors, accessTokens, memory, storyControl, catalog, authorNoteHidden];
