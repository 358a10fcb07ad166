import type Database from 'better-sqlite3';
import type { ManifestStore } from '../engine/ports.ts';
import { ContextManifest } from '../protocol/index.ts';

/**
 * The last prompt manifest per session, as JSON. Parsed on the way out, so a row written by an
 * older shape reads as "no manifest" rather than a wrong one.
 */
export function createManifestStore(db: Database.Database): ManifestStore {
  const selectOne = db.prepare<[string], { manifest: string }>('SELECT manifest FROM context_manifests WHERE session_id = ?');
  const upsert = db.prepare<[{ session: string; manifest: string; at: number }]>(`
    INSERT INTO context_manifests (session_id, manifest, created_at)
    SELECT @session, @manifest, @at WHERE EXISTS (SELECT 1 FROM sessions WHERE id = @session)
    ON CONFLICT (session_id) DO UPDATE SET manifest = excluded.manifest, created_at = excluded.created_at`);

  return {
    get(sessionId) {
      const row = selectOne.get(sessionId);
      if (!row) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(row.manifest);
      } catch {
        return undefined;
      }
      const parsed = ContextManifest.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    },
    save(manifest) {
      upsert.run({ session: manifest.session_id, manifest: JSON.stringify(manifest), at: Math.round(manifest.created_at) });
    },
  };
}
