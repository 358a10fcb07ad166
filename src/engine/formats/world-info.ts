/**
 * SillyTavern World Info files: `{ entries: { "0": { uid, key, keysecondary, … } }, … }`.
 * Parsing is pure: callers read the file and pass its text or parsed JSON.
 */
import type { LoreEntry } from '../content.ts';
import {
  DEFAULT_ORDER,
  DEFAULT_SCAN_DEPTH,
  exportStart,
  importedEntry,
  isObject,
  LorebookFormatError,
  logicFromNumber,
  logicToNumber,
  numberOr,
  ST_EXTENSION_FIELDS,
  stringList,
  type CoreFields,
  type Json,
} from './lore-fields.ts';

export interface LorebookImport {
  format: 'st_world_info' | 'lorebook_v3' | 'character_book';
  name: string;
  entries: LoreEntry[];
  /** Every top-level field other than the entries, for a lossless export. */
  meta: Json;
  /** Oddities that did not stop the import (unknown logic values…). */
  warnings: string[];
}

/** The fields of a World Info entry that map onto LoreEntry; the rest stays in `extra`. */
const OWNED = [
  'uid',
  'key',
  'keysecondary',
  'comment',
  'content',
  'constant',
  'disable',
  'order',
  'selectiveLogic',
  'scanDepth',
  'caseSensitive',
  'matchWholeWords',
  'preventRecursion',
] as const;

export function parseWorldInfo(data: unknown, name = ''): LorebookImport {
  if (!isObject(data) || !isObject(data['entries'])) {
    throw new LorebookFormatError('not a SillyTavern World Info file: expected an object with an "entries" object');
  }
  const warnings: string[] = [];
  const entries = Object.entries(data['entries']).map(([mapKey, raw], index) => {
    if (!isObject(raw)) throw new LorebookFormatError(`World Info entry "${mapKey}" is not an object`);
    return worldInfoEntry(raw, mapKey, index, (problem) => warnings.push(`entry "${mapKey}": ${problem}`));
  });
  const { entries: _entries, ...meta } = data;
  const bookName = typeof data['name'] === 'string' ? data['name'] : name;
  return { format: 'st_world_info', name: bookName, entries, meta, warnings };
}

function worldInfoEntry(raw: Json, mapKey: string, index: number, warn: (problem: string) => void): LoreEntry {
  const core: CoreFields = {
    id: String(raw['uid'] ?? mapKey ?? index),
    comment: String(raw['comment'] ?? ''),
    keys: stringList(raw['key']),
    secondaryKeys: stringList(raw['keysecondary']),
    selectiveLogic: logicFromNumber(raw['selectiveLogic'], warn),
    content: String(raw['content'] ?? ''),
    constant: raw['constant'] === true,
    enabled: raw['disable'] !== true,
    caseSensitive: raw['caseSensitive'] === true,
    wholeWords: raw['matchWholeWords'] === true,
    order: numberOr(raw['order'], DEFAULT_ORDER),
    scanDepth: numberOr(raw['scanDepth'], DEFAULT_SCAN_DEPTH),
    recursive: raw['preventRecursion'] !== true,
  };
  return importedEntry(raw, OWNED, 'st_world_info', core);
}

/** Writes entries back as a World Info file; unchanged imported fields come back exactly as they were. */
export function toWorldInfo(entries: readonly LoreEntry[], meta: Json = {}): Json {
  const out: Record<string, Json> = {};
  entries.forEach((entry, index) => {
    const written = worldInfoEntryOf(entry, index);
    out[String(written['uid'])] = written;
  });
  const { entries: _old, ...rest } = meta;
  return { entries: out, ...rest };
}

function worldInfoEntryOf(entry: LoreEntry, index: number): Json {
  const { snapshot, extra, changed } = exportStart(entry, 'st_world_info');
  const base: Json = snapshot ? { ...extra, ...snapshot.owned } : { ...defaultsFor(entry, index), ...fromOtherFormat(extra) };
  const set = (name: keyof CoreFields, field: string, value: unknown) => {
    if (changed.has(name)) base[field] = value;
  };
  set('id', 'uid', /^\d+$/.test(entry.id) ? Number(entry.id) : entry.id);
  set('keys', 'key', [...entry.keys]);
  set('secondaryKeys', 'keysecondary', [...entry.secondaryKeys]);
  set('comment', 'comment', entry.comment);
  set('content', 'content', entry.content);
  set('constant', 'constant', entry.constant);
  set('enabled', 'disable', !entry.enabled);
  set('order', 'order', entry.order);
  set('selectiveLogic', 'selectiveLogic', logicToNumber(entry.selectiveLogic));
  set('scanDepth', 'scanDepth', entry.scanDepth);
  set('caseSensitive', 'caseSensitive', entry.caseSensitive);
  set('wholeWords', 'matchWholeWords', entry.wholeWords);
  set('recursive', 'preventRecursion', !entry.recursive);
  return base;
}

/** What SillyTavern's own template gives a new entry, for entries that did not come from World Info. */
function defaultsFor(entry: LoreEntry, index: number): Json {
  return {
    selective: true,
    addMemo: entry.comment !== '',
    position: 0,
    depth: 4,
    probability: 100,
    useProbability: true,
    excludeRecursion: false,
    delayUntilRecursion: false,
    displayIndex: index,
    group: '',
    vectorized: false,
  };
}

/** Character-book entry extras → World Info fields, as SillyTavern's convertCharacterBook does. */
function fromOtherFormat(extra: Json): Json {
  const extensions = isObject(extra['extensions']) ? extra['extensions'] : undefined;
  if (!extensions && !('position' in extra) && !('selective' in extra)) return extra;
  const out: Json = {};
  if (typeof extra['selective'] === 'boolean') out['selective'] = extra['selective'];
  if (extra['position'] === 'before_char' || extra['position'] === 'after_char') out['position'] = extra['position'] === 'before_char' ? 0 : 1;
  for (const [field, extension] of ST_EXTENSION_FIELDS) {
    if (extensions && extensions[extension] !== undefined) out[field] = extensions[extension];
  }
  out['extensions'] = extensions ?? {};
  return out;
}

