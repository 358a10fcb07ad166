/**
 * Worlds as the YAML content files the content source reads (snake_case, see
 * content/schemas.ts). Fields we do not use stay in the file, so an imported card re-exports
 * losslessly; nothing here ever overwrites a file that exists.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import type { LoreEntry, World } from '../content.ts';

const entryYaml = (entry: LoreEntry): Record<string, unknown> => ({
  ...entry.extra,
  id: entry.id,
  comment: entry.comment,
  keys: entry.keys,
  secondary_keys: entry.secondaryKeys,
  selective_logic: entry.selectiveLogic,
  content: entry.content,
  constant: entry.constant,
  enabled: entry.enabled,
  case_sensitive: entry.caseSensitive,
  whole_words: entry.wholeWords,
  order: entry.order,
  scan_depth: entry.scanDepth,
  recursive: entry.recursive,
});

export function worldToYaml(world: World): string {
  const file = {
    id: world.id,
    name: world.name,
    narrator_name: world.narratorName,
    lore: world.lore,
    start_message: world.startMessage,
    alternate_greetings: world.alternateGreetings,
    scene: world.scene,
    system_prompt: world.systemPrompt,
    entries: world.entries.map(entryYaml),
    ...world.extra,
  };
  return stringify(file, { lineWidth: 0 });
}

const YAML_FILE = /\.ya?ml$/i;

/** The YAML files of the worlds folder with the world id each declares (unreadable ones left out). */
function worldFiles(worldsDir: string): Array<{ path: string; id: string }> {
  let names: string[];
  try {
    names = readdirSync(worldsDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => YAML_FILE.test(name) && !name.startsWith('.'))
    .flatMap((name) => {
      const path = join(worldsDir, name);
      try {
        const id = parseDocument(readFileSync(path, 'utf8')).get('id');
        return typeof id === 'string' ? [{ path, id }] : [];
      } catch {
        return [];
      }
    });
}

/** `wanted`, or `wanted-2`, `wanted-3`… : the first id no world and no file uses. */
export function freeWorldId(worldsDir: string, wanted: string, taken: ReadonlySet<string>): string {
  const used = new Set([...taken, ...worldFiles(worldsDir).map((file) => file.id)]);
  const fileTaken = (id: string) => safeExists(join(worldsDir, `${id}.yaml`));
  if (!used.has(wanted) && !fileTaken(wanted)) return wanted;
  for (let n = 2; ; n++) {
    const id = `${wanted.slice(0, 60)}-${n}`;
    if (!used.has(id) && !fileTaken(id)) return id;
  }
}

const safeExists = (path: string): boolean => {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
};

/** Writes a new world file `<id>.yaml`; fails (never overwrites) if it exists. */
export function writeNewWorld(worldsDir: string, world: World): string {
  const path = join(worldsDir, `${world.id}.yaml`);
  writeFileSync(path, worldToYaml(world), { flag: 'wx', mode: 0o600 });
  return path;
}

export class WorldFileError extends Error {
  override name = 'WorldFileError';
}

/**
 * Appends lore entries to the file of world `worldId`, keeping the file's comments and layout.
 * Entry ids that clash with the world's get a suffix. Written to a temporary file, then renamed,
 * so the watcher never reads half a file.
 */
export function addEntriesToWorld(worldsDir: string, worldId: string, entries: readonly LoreEntry[]): { path: string; added: number } {
  const file = worldFiles(worldsDir).find((candidate) => candidate.id === worldId);
  if (!file) throw new WorldFileError(`no file in ${worldsDir} defines the world '${worldId}'`);
  const doc = parseDocument(readFileSync(file.path, 'utf8'));
  const existing = doc.get('entries');
  const taken = new Set<string>();
  const current = doc.toJS() as { entries?: Array<{ id?: unknown }> | null };
  (current.entries ?? []).forEach((entry, index) => taken.add(String(entry.id ?? index)));
  const fresh = entries.map((entry) => {
    let id = entry.id;
    for (let n = 2; taken.has(id); n++) id = `${entry.id}-${n}`;
    taken.add(id);
    return entryYaml({ ...entry, id });
  });
  if (existing && typeof existing === 'object' && 'items' in existing) {
    for (const entry of fresh) doc.addIn(['entries'], doc.createNode(entry));
  } else {
    doc.set('entries', doc.createNode(fresh));
  }
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, doc.toString({ lineWidth: 0 }), { mode: 0o600 });
  renameSync(temporary, file.path);
  return { path: file.path, added: fresh.length };
}
