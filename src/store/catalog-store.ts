import type Database from 'better-sqlite3';
import type { CatalogStore } from '../engine/ports.ts';

/** Keeps the worlds and characters tables equal to the loaded content, in one transaction. */
export function createCatalogStore(db: Database.Database, now: () => number): CatalogStore {
  const nameWorld = db.prepare<[{ id: string; name: string }]>(`
    INSERT INTO worlds (id, lore_hash, name) VALUES (@id, '', @name)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name`);
  const upsertCharacter = db.prepare<[{ id: string; name: string; persona: string; at: number }]>(`
    INSERT INTO characters (id, name, persona, updated_at) VALUES (@id, @name, @persona, @at)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, persona = excluded.persona, updated_at = excluded.updated_at
    WHERE characters.name IS NOT excluded.name OR characters.persona IS NOT excluded.persona`);
  const characterIds = db.prepare<[], { id: string }>('SELECT id FROM characters');
  const removeCharacter = db.prepare<[string]>('DELETE FROM characters WHERE id = ?');
  const selectCharacters = db.prepare<[], { id: string; name: string; persona: string }>('SELECT id, name, persona FROM characters ORDER BY id');

  const sync = db.transaction((content: Parameters<CatalogStore['sync']>[0]) => {
    for (const world of content.worlds) nameWorld.run({ id: world.id, name: world.name });
    const keep = new Set<string>();
    for (const character of content.characters) {
      keep.add(character.id);
      upsertCharacter.run({ id: character.id, name: character.name, persona: character.persona, at: now() });
    }
    for (const { id } of characterIds.all()) if (!keep.has(id)) removeCharacter.run(id);
  });

  return {
    sync(content) {
      sync(content);
    },
    characters() {
      return selectCharacters.all();
    },
  };
}
