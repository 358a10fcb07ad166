/**
 * Puts a detected file where it belongs: a card becomes a new world file (a free id, never an
 * overwrite), a lorebook's entries join an existing world's file, a chat becomes a new session.
 * Shared by `/import` and `flower import`.
 */
import type { Content } from '../content.ts';
import { isValidId } from '../content.ts';
import { listNames } from '../events.ts';
import type { RandomSource, SessionRecord, Store, TransferFiles } from '../ports.ts';
import { importChat } from './chat-import.ts';
import { ImportError, type DetectedFile } from './detect.ts';

export interface ImportPlace {
  store: Store;
  random: RandomSource;
  now: number;
  files: TransferFiles;
  content: Content;
  profileId: string;
  /** The profile's active choices, used when the file does not say. */
  active: { worldId: string; characterId: string; model: string };
}

export interface ImportOptions {
  /** The world a lorebook is added to, or a chat is played in. */
  worldId?: string | undefined;
  characterId?: string | undefined;
}

export type ImportOutcome =
  | { kind: 'world'; worldId: string; name: string; path: string; entries: number; greetings: number; warnings: string[] }
  | { kind: 'lore'; worldId: string; path: string; added: number; warnings: string[] }
  | { kind: 'session'; session: SessionRecord; messages: number };

export function applyImport(detected: DetectedFile, place: ImportPlace, options: ImportOptions = {}): ImportOutcome {
  if (detected.kind === 'card') {
    const id = freeWorldId(detected.world.id, new Set([...place.content.worlds.keys(), ...place.files.takenWorldIds()]));
    const world = { ...detected.world, id };
    const path = place.files.createWorld(world);
    return {
      kind: 'world',
      worldId: id,
      name: world.name,
      path,
      entries: world.entries.length,
      greetings: world.alternateGreetings.length,
      warnings: detected.warnings,
    };
  }
  if (detected.kind === 'lorebook') {
    const worldId = options.worldId;
    if (!worldId) throw new ImportError(`a lorebook is added to a world: name it (world <id>). Worlds: ${listNames([...place.content.worlds.keys()])}`);
    checkWorld(place.content, worldId);
    const added = place.files.addEntries(worldId, detected.lorebook.entries);
    if (!added.ok) throw new ImportError(added.problem);
    return { kind: 'lore', worldId, path: added.path, added: added.added, warnings: detected.lorebook.warnings };
  }
  const { chat } = detected;
  const worldId = options.worldId ?? worldFor(place.content, chat.meta.characterName) ?? place.active.worldId;
  if (!worldId) {
    throw new ImportError(`no world to play this chat in: none is named '${chat.meta.characterName}' and none is selected; name one (world <id>)`);
  }
  checkWorld(place.content, worldId);
  const characterId = options.characterId ?? characterFor(place.content, chat.meta.userName) ?? place.active.characterId;
  if (!characterId || !place.content.characters.has(characterId)) {
    throw new ImportError(`no character to play this chat as: none is named '${chat.meta.userName}' and none is selected (/character select <id>)`);
  }
  const session = importChat(place.store, place.random, place.now, chat, {
    profileId: place.profileId,
    worldId,
    characterId,
    model: place.active.model,
  });
  return { kind: 'session', session, messages: chat.messages.length };
}

/** `wanted`, or `wanted-2`, `wanted-3`… : the first id not taken. */
export function freeWorldId(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) {
    const id = `${wanted.slice(0, 60)}-${n}`;
    if (!taken.has(id)) return id;
  }
}

function checkWorld(content: Content, worldId: string): void {
  if (!isValidId(worldId)) throw new ImportError(`invalid world id '${worldId}': ids use only letters, digits, '_' and '-'`);
  if (!content.worlds.has(worldId)) throw new ImportError(`unknown world '${worldId}'. Worlds: ${listNames([...content.worlds.keys()])}`);
}

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

const worldFor = (content: Content, narrator: string): string | undefined =>
  [...content.worlds.values()].find((world) => same(world.narratorName || world.name, narrator) || same(world.name, narrator))?.id;

const characterFor = (content: Content, name: string): string | undefined =>
  [...content.characters.values()].find((character) => same(character.name, name))?.id;
