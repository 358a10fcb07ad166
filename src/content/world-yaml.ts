/**
 * Worlds as the YAML content files the content source reads (snake_case, see schemas.ts).
 * Fields we do not use stay in the file, so an imported card re-exports losslessly.
 */
import { parseDocument, stringify } from 'yaml';
import type { LoreEntry, World } from '../engine/content.ts';

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

/** The world id a YAML text declares, if it parses and has one. */
export function declaredWorldId(text: string): string | undefined {
  try {
    const id = parseDocument(text).get('id');
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `text` with `entries` appended to its `entries:` list, comments and layout kept. Entry ids that
 * clash with the file's get a suffix (`-2`, `-3`…).
 */
export function appendEntriesYaml(text: string, entries: readonly LoreEntry[]): { text: string; added: number } {
  const doc = parseDocument(text);
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
  return { text: doc.toString({ lineWidth: 0 }), added: fresh.length };
}
