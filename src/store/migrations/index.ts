import { initial } from './001_initial.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** Every schema step, oldest first. Add a new file and append it here; never edit a shipped one. */
export const migrations: readonly Migration[] = [initial];
