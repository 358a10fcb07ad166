/**
 * Key matching with SillyTavern World Info semantics (WorldInfoBuffer#matchKeys):
 * - a key written `/pattern/flags` is a regex and ignores the entry's case and whole-word settings;
 * - plain keys compare lower-cased unless the entry is case sensitive;
 * - whole words: a single word must sit between non-word characters (`\W`, start or end);
 *   a key with spaces is matched as a phrase (substring), exactly as SillyTavern does.
 */

export type ParsedKey =
  | { kind: 'plain'; text: string }
  | { kind: 'regex'; regex: RegExp }
  | { kind: 'invalid'; problem: string };

/** Same shape test as SillyTavern's parseRegexFromString: `/…/` with only JS flags, no unescaped inner `/`. */
const REGEX_KEY = /^\/([\s\S]+?)\/([gimsuy]*)$/;
const UNESCAPED_SLASH = /(^|[^\\])\//;

export function parseKey(key: string): ParsedKey {
  const match = REGEX_KEY.exec(key);
  if (!match || UNESCAPED_SLASH.test(match[1] ?? '')) return { kind: 'plain', text: key };
  const pattern = (match[1] ?? '').replaceAll('\\/', '/');
  // `g`/`y` would make test() stateful or anchored; SillyTavern builds a fresh regex per test, so neither matters there.
  const flags = (match[2] ?? '').replace(/[gy]/g, '');
  try {
    return { kind: 'regex', regex: new RegExp(pattern, flags) };
  } catch (error) {
    return { kind: 'invalid', problem: error instanceof Error ? error.message : String(error) };
  }
}

const escapeRegex = (text: string): string => text.replace(/[/\-\\^$*+?.()|[\]{}]/g, '\\$&');

export interface MatchOptions {
  caseSensitive: boolean;
  wholeWords: boolean;
}

export function matchesKey(haystack: string, key: ParsedKey, options: MatchOptions): boolean {
  if (key.kind === 'invalid') return false;
  if (key.kind === 'regex') return key.regex.test(haystack);
  const text = options.caseSensitive ? haystack : haystack.toLowerCase();
  const needle = options.caseSensitive ? key.text : key.text.toLowerCase();
  if (!options.wholeWords || needle.split(/\s+/).length > 1) return text.includes(needle);
  return new RegExp(`(?:^|\\W)(${escapeRegex(needle)})(?:$|\\W)`).test(text);
}
