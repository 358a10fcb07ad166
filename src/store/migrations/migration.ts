import type Database from 'better-sqlite3';

/**
 * One schema step. `version` is what `PRAGMA user_version` reads once it is applied; versions
 * run 1, 2, 3… with no gaps. `up` is SQL, or a function for a step that must move data in JS.
 */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}
