/**
 * Every failure the store raises is a `StoreError` whose message a player can read: what went
 * wrong and which file. SQLite's own codes are kept on `code` for logs; `kind` is what callers
 * branch on.
 */
import Database from 'better-sqlite3';

export type StoreErrorKind =
  | 'locked'
  | 'readonly'
  | 'cannot_open'
  | 'not_a_database'
  | 'corrupt'
  | 'disk_full'
  | 'io'
  | 'constraint'
  | 'schema_too_new'
  | 'closed'
  | 'other';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    readonly path: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const describe = (kind: StoreErrorKind, path: string, detail: string): string => {
  switch (kind) {
    case 'locked':
      return `database is locked by another process: ${path} (is another Flower engine running on this data dir?)`;
    case 'readonly':
      return `database is not writable: ${path} (check the file's and its folder's permissions)`;
    case 'cannot_open':
      return `cannot open database: ${path} (${detail})`;
    case 'not_a_database':
      return `not a Flower database (or encrypted): ${path}`;
    case 'corrupt':
      return `database file is damaged: ${path} (${detail})`;
    case 'disk_full':
      return `disk is full, cannot write database: ${path}`;
    case 'io':
      return `disk I/O error on database: ${path} (${detail})`;
    case 'closed':
      return `database is closed: ${path}`;
    default:
      return `database error on ${path}: ${detail}`;
  }
};

const kindOfCode = (code: string): StoreErrorKind => {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) return 'readonly';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot_open';
  if (code === 'SQLITE_NOTADB') return 'not_a_database';
  if (code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code === 'SQLITE_FULL') return 'disk_full';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  if (code.startsWith('SQLITE_CONSTRAINT')) return 'constraint';
  return 'other';
};

/**
 * Turns a SQLite failure into a `StoreError`; anything else (a bug in caller code run inside a
 * transaction) passes through untouched.
 */
export function toStoreError(error: unknown, path: string): unknown {
  if (error instanceof StoreError) return error;
  if (error instanceof Database.SqliteError) {
    const kind = kindOfCode(error.code);
    return new StoreError(kind, describe(kind, path, error.message), path, error.code, { cause: error });
  }
  // better-sqlite3 reports a missing folder and a closed handle as TypeErrors, not SqliteErrors.
  if (error instanceof TypeError && /directory does not exist/i.test(error.message)) {
    return new StoreError('cannot_open', describe('cannot_open', path, 'its folder does not exist'), path, undefined, { cause: error });
  }
  if (error instanceof TypeError && /connection is not open/i.test(error.message)) {
    return new StoreError('closed', describe('closed', path, ''), path, undefined, { cause: error });
  }
  return error;
}

/** Wraps each method of a sub-store so callers only ever see `StoreError`s from SQLite. */
export function guardMethods<T extends object>(target: T, path: string): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      guarded[name] = value;
      continue;
    }
    guarded[name] = (...args: unknown[]) => {
      try {
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      } catch (error) {
        throw toStoreError(error, path);
      }
    };
  }
  return guarded as T;
}
