/** Checks that a story turn can run, answering `✗` with what to do when it cannot. */
import type { Character, World } from '../content.ts';
import { listNames } from '../events.ts';
import type { ModelGateway, SessionRecord } from '../ports.ts';
import type { Profile } from '../profile.ts';
import type { Runtime } from '../runtime.ts';
import { effectiveModel } from '../state-events.ts';

export interface Stage {
  world: World;
  character: Character;
  session: SessionRecord;
  modelId: string;
}

/** The ids a reply is filed under. */
export const stageIds = (stage: Stage) => ({ worldId: stage.world.id, characterId: stage.character.id, sessionId: stage.session.id, modelId: stage.modelId });

export const NOT_PREPARED = '✗ Prepare the stage first (World, Char, Session).';
export const STILL_STREAMING = '✗ A reply is still streaming — wait for it or /cancel.';

export function resolveStage(rt: Runtime, profile: Profile): { ok: true; stage: Stage } | { ok: false; message: string } {
  const { worldId, characterId, sessionId } = profile.state;
  if (!worldId || !characterId || !sessionId) return { ok: false, message: NOT_PREPARED };
  const content = rt.content();
  const world = content.worlds.get(worldId);
  if (!world) return { ok: false, message: `✗ The active world '${worldId}' no longer exists. Pick one with /world select <id>.` };
  const character = content.characters.get(characterId);
  if (!character) {
    return { ok: false, message: `✗ The active character '${characterId}' no longer exists. Pick one with /character select <id>.` };
  }
  const session = rt.deps.store.sessions.get(profile.id, sessionId);
  if (!session) return { ok: false, message: `✗ The active session '${sessionId}' no longer exists. Start one with /session new.` };
  const model = checkModel(rt.deps.models, effectiveModel(rt, profile));
  if (!model.ok) return model;
  return { ok: true, stage: { world, character, session, modelId: model.id } };
}

function checkModel(models: ModelGateway, id: string): { ok: true; id: string } | { ok: false; message: string } {
  const listed = models.listModels();
  if (id !== '' && (listed.some((m) => m.id === id) || id === models.defaultModel())) return { ok: true, id };
  if (listed.length === 0) {
    return {
      ok: false,
      message:
        "✗ No model is available: no provider is configured (or its model list is still loading). Add one under 'providers:' in the config file (flower serve --config FILE), then pick a model with /model <id>.",
    };
  }
  const available = `Available: ${listNames(listed.map((m) => m.id))}`;
  if (id === '') return { ok: false, message: `✗ No model selected. Pick one with /model <id>. ${available}` };
  return { ok: false, message: `✗ Model '${id}' is not available. Pick one with /model <id>. ${available}` };
}
