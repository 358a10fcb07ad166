import type Database from 'better-sqlite3';
import type { ProfileState, ProfileStore } from '../engine/ports.ts';

interface ProfileRow {
  model: string;
  model_confirmed: number;
  world_id: string;
  character_id: string;
  active_rules: string;
  session_id: string;
}

/** Stored JSON is ours, but a hand-edited row must not crash start-up: keep only strings. */
const parseRules = (json: string): string[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
};

export function createProfileStore(db: Database.Database): ProfileStore {
  const select = db.prepare<[string], ProfileRow>(
    'SELECT model, model_confirmed, world_id, character_id, active_rules, session_id FROM profile_state WHERE profile_id = ?',
  );
  const upsert = db.prepare(`
    INSERT INTO profile_state (profile_id, model, model_confirmed, world_id, character_id, active_rules, session_id)
    VALUES (@profileId, @model, @modelConfirmed, @worldId, @characterId, @activeRules, @sessionId)
    ON CONFLICT (profile_id) DO UPDATE SET
      model = excluded.model,
      model_confirmed = excluded.model_confirmed,
      world_id = excluded.world_id,
      character_id = excluded.character_id,
      active_rules = excluded.active_rules,
      session_id = excluded.session_id`);

  return {
    load(profileId) {
      const row = select.get(profileId);
      if (!row) return undefined;
      return {
        model: row.model,
        modelConfirmed: row.model_confirmed === 1,
        worldId: row.world_id,
        characterId: row.character_id,
        activeRules: parseRules(row.active_rules),
        sessionId: row.session_id,
      };
    },
    save(profileId, state: ProfileState) {
      upsert.run({
        profileId,
        model: state.model,
        modelConfirmed: state.modelConfirmed ? 1 : 0,
        worldId: state.worldId,
        characterId: state.characterId,
        activeRules: JSON.stringify(state.activeRules),
        sessionId: state.sessionId,
      });
    },
  };
}
