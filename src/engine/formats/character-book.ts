/**
 * Character-card lorebooks: the V2 `character_book` object, V3's (adds `use_regex`) and
 * standalone `{ spec: 'lorebook_v3', data: book }` files. SillyTavern stores its own settings
 * in each entry's `extensions` (selectiveLogic, scan_depth, match_whole_words…); we read those.
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
import type { LorebookImport } from './world-info.ts';

const OWNED = [
  'id',
  'keys',
  'secondary_keys',
  'comment',
  'content',
  'enabled',
  'insertion_order',
  'constant',
  'case_sensitive',
] as const;

export function parseCharacterBook(book: unknown, where = 'character_book'): LorebookImport {
  if (!isObject(book)) throw new LorebookFormatError(`${where} is not an object`);
  if (!Array.isArray(book['entries'])) throw new LorebookFormatError(`${where} has no "entries" list`);
  const warnings: string[] = [];
  const entries = book['entries'].map((raw: unknown, index: number) => {
    if (!isObject(raw)) throw new LorebookFormatError(`${where} entry ${index} is not an object`);
    return bookEntry(raw, index, book, (problem) => warnings.push(`entry ${index}: ${problem}`));
  });
  const { entries: _entries, ...meta } = book;
  return { format: 'character_book', name: typeof book['name'] === 'string' ? book['name'] : '', entries, meta, warnings };
}

export function parseLorebookV3(file: unknown): LorebookImport {
  if (!isObject(file) || file['spec'] !== 'lorebook_v3') throw new LorebookFormatError('not a lorebook_v3 file: "spec" must be "lorebook_v3"');
  const parsed = parseCharacterBook(file['data'], 'lorebook_v3 data');
  const { data: _data, ...top } = file;
  return { ...parsed, format: 'lorebook_v3', meta: { ...top, data: parsed.meta } };
}

/** SillyTavern writes these into every entry it exports; their presence means its key rules apply. */
const madeBySillyTavern = (extensions: Json | undefined): boolean =>
  !!extensions && ('display_index' in extensions || 'selectiveLogic' in extensions);

const isSlashRegex = (key: string): boolean => /^\/[\s\S]+\/[a-z]*$/.test(key);

function bookEntry(raw: Json, index: number, book: Json, warn: (problem: string) => void): LoreEntry {
  const extensions = isObject(raw['extensions']) ? raw['extensions'] : undefined;
  const caseSensitive = (extensions?.['case_sensitive'] ?? raw['case_sensitive']) === true;
  // A V3 regex entry holds bare patterns; SillyTavern marks every entry use_regex but writes `/re/` itself.
  const bareRegex = raw['use_regex'] === true && !madeBySillyTavern(extensions);
  const toKey = (key: string) => (bareRegex && !isSlashRegex(key) ? `/${key.replaceAll('/', '\\/')}/${caseSensitive ? '' : 'i'}` : key);
  const core: CoreFields = {
    id: String(raw['id'] ?? index),
    comment: String(raw['comment'] || raw['name'] || ''),
    keys: stringList(raw['keys']).map(toKey),
    secondaryKeys: stringList(raw['secondary_keys']).map(toKey),
    selectiveLogic: logicFromNumber(extensions?.['selectiveLogic'], warn),
    content: String(raw['content'] ?? ''),
    constant: raw['constant'] === true,
    enabled: raw['enabled'] !== false,
    caseSensitive,
    wholeWords: extensions?.['match_whole_words'] === true,
    order: numberOr(raw['insertion_order'], DEFAULT_ORDER),
    scanDepth: numberOr(extensions?.['scan_depth'], numberOr(book['scan_depth'], DEFAULT_SCAN_DEPTH)),
    recursive: extensions?.['prevent_recursion'] !== true && book['recursive_scanning'] !== false,
  };
  return importedEntry(raw, OWNED, 'character_book', core);
}

/** Writes entries as a character_book (V2/V3); `meta` is the book's other fields. */
export function toCharacterBook(entries: readonly LoreEntry[], meta: Json = {}): Json {
  const { entries: _old, ...rest } = meta;
  return { ...rest, entries: entries.map((entry, index) => bookEntryOf(entry, index)) };
}

export function toLorebookV3(entries: readonly LoreEntry[], meta: Json = {}): Json {
  const data = isObject(meta['data']) ? meta['data'] : { extensions: {} };
  return { ...meta, spec: 'lorebook_v3', data: toCharacterBook(entries, data) };
}

function bookEntryOf(entry: LoreEntry, index: number): Json {
  const { snapshot, extra, changed } = exportStart(entry, 'character_book');
  const base: Json = snapshot ? { ...extra, ...snapshot.owned } : fromWorldInfo(extra, index);
  const extensions: Json = isObject(base['extensions']) ? { ...base['extensions'] } : {};
  const set = (name: keyof CoreFields, write: () => void) => {
    if (changed.has(name)) write();
  };
  set('id', () => (base['id'] = /^\d+$/.test(entry.id) ? Number(entry.id) : entry.id));
  set('keys', () => (base['keys'] = [...entry.keys]));
  set('secondaryKeys', () => (base['secondary_keys'] = [...entry.secondaryKeys]));
  set('comment', () => (base['comment'] = entry.comment));
  set('content', () => (base['content'] = entry.content));
  set('enabled', () => (base['enabled'] = entry.enabled));
  set('order', () => (base['insertion_order'] = entry.order));
  set('constant', () => (base['constant'] = entry.constant));
  set('caseSensitive', () => {
    base['case_sensitive'] = entry.caseSensitive;
    extensions['case_sensitive'] = entry.caseSensitive;
  });
  set('selectiveLogic', () => (extensions['selectiveLogic'] = logicToNumber(entry.selectiveLogic)));
  set('scanDepth', () => (extensions['scan_depth'] = entry.scanDepth));
  set('wholeWords', () => (extensions['match_whole_words'] = entry.wholeWords));
  set('recursive', () => (extensions['prevent_recursion'] = !entry.recursive));
  base['extensions'] = extensions;
  return base;
}

/** World Info entry extras → character-book fields, as SillyTavern's convertWorldInfoToCharacterBook does. */
function fromWorldInfo(extra: Json, index: number): Json {
  const extensions: Json = isObject(extra['extensions']) ? { ...extra['extensions'] } : {};
  for (const [field, extension] of ST_EXTENSION_FIELDS) {
    if (extra[field] !== undefined) extensions[extension] = extra[field];
  }
  if (extensions['display_index'] === undefined) extensions['display_index'] = index;
  const position = numberOr(extra['position'], 0);
  return {
    selective: typeof extra['selective'] === 'boolean' ? extra['selective'] : true,
    position: position === 0 ? 'before_char' : 'after_char',
    use_regex: true,
    extensions,
  };
}
