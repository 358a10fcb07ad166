import type Database from 'better-sqlite3';
import type { Logger } from '../engine/ports.ts';
import { StoreError } from './errors.ts';
import type { Migration } from './migrations/index.ts';

const userVersion = (db: Database.Database): number => db.pragma('user_version', { simple: true }) as number;

/** A gap or a reordering in the list is a programming error: fail loudly before touching data. */
function checkOrdered(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration ${migration.name} has version ${migration.version}, expected ${index + 1}`);
    }
  });
}

function refuseNewer(current: number, latest: number, path: string): void {
  if (current <= latest) return;
  throw new StoreError(
    'schema_too_new',
    `database ${path} has schema version ${current}, newer than this Flower knows (${latest}); upgrade Flower`,
    path,
  );
}

/**
 * Brings the schema to the latest version. Each step runs in its own immediate transaction
 * together with its `user_version` bump, so a crash mid-step leaves the previous version intact.
 */
export function migrate(db: Database.Database, list: readonly Migration[], path: string, logger?: Logger): number {
  checkOrdered(list);
  const latest = list.length;
  refuseNewer(userVersion(db), latest, path);
  for (const migration of list) {
    // Checked before taking the write lock so an up-to-date open never needs one.
    if (userVersion(db) >= migration.version) continue;
    const applied = db
      .transaction(() => {
        // Re-read inside the write lock: another process may have migrated meanwhile.
        if (userVersion(db) >= migration.version) return false;
        if (typeof migration.up === 'string') db.exec(migration.up);
        else migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
        return true;
      })
      .immediate();
    if (applied) logger?.info('store migration applied', { path, version: migration.version, name: migration.name });
  }
  return latest;
}

/** A read-only handle cannot migrate; it needs the schema to be exactly what this code knows. */
export function requireCurrent(db: Database.Database, list: readonly Migration[], path: string): number {
  const current = userVersion(db);
  const latest = list.length;
  refuseNewer(current, latest, path);
  if (current < latest) {
    throw new StoreError(
      'readonly',
      `database ${path} has schema version ${current} but ${latest} is needed; open it once writable to upgrade it`,
      path,
    );
  }
  return current;
}
