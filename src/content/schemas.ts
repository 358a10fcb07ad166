/**
 * The YAML shapes of content files, validated with zod and converted to the engine's types.
 * File fields are snake_case (as in the original engine); the engine's types are camelCase.
 */
import { z } from 'zod';
import { isValidId } from '../engine/content.ts';
import type { Character, LoreEntry, Rule, World } from '../engine/content.ts';

export const ENTRY_DEFAULTS = {
  selectiveLogic: 'and_any',
  constant: false,
  enabled: true,
  caseSensitive: false,
  // A key like "Ash" should not fire on "flash"; imported lorebooks carry their own value.
  wholeWords: true,
  order: 100,
  scanDepth: 2,
  recursive: true,
} as const satisfies Partial<LoreEntry>;

const contentId = z
  .string()
  .refine(isValidId, { message: "must use only letters, digits, '_' and '-' (1 to 128 characters)" });

/** Optional text: absent or `null` (an empty YAML value) become ''. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

/** A YAML list of words often holds a bare number (`keys: [1984]`); a single word may skip the list. */
const wordList = z.preprocess(
  (value) => {
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item: unknown) => (typeof item === 'number' ? String(item) : item));
  },
  z.array(z.string()).transform((words) => words.filter((word) => word.trim() !== '')),
);

const REGEX_KEY = /^\/([\s\S]+)\/([a-z]*)$/;

/** Plain words, or `/regex/flags` (SillyTavern World Info syntax): a regex must compile. */
const keyList = wordList.superRefine((keys, context) => {
  keys.forEach((key, index) => {
    const regex = REGEX_KEY.exec(key);
    if (!regex) return;
    try {
      new RegExp(regex[1] ?? '', regex[2]);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        path: [index],
        message: `is not a valid regular expression: ${(error as Error).message}`,
      });
    }
  });
});

/** A display name; YAML reads `name: 1984` as a number, which is still a fine name. */
const displayName = z.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string().min(1));

const flag = (fallback: boolean) =>
  z
    .boolean()
    .nullish()
    .transform((value) => value ?? fallback);

const entrySchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).nullish(),
  comment: optionalText,
  keys: keyList,
  secondary_keys: keyList,
  selective_logic: z
    .enum(['and_any', 'and_all', 'not_any', 'not_all'])
    .nullish()
    .transform((value) => value ?? ENTRY_DEFAULTS.selectiveLogic),
  content: z.string(),
  constant: flag(ENTRY_DEFAULTS.constant),
  enabled: flag(ENTRY_DEFAULTS.enabled),
  case_sensitive: flag(ENTRY_DEFAULTS.caseSensitive),
  whole_words: flag(ENTRY_DEFAULTS.wholeWords),
  order: z
    .number()
    .nullish()
    .transform((value) => value ?? ENTRY_DEFAULTS.order),
  scan_depth: z
    .number()
    .int()
    .min(0)
    .nullish()
    .transform((value) => value ?? ENTRY_DEFAULTS.scanDepth),
  recursive: flag(ENTRY_DEFAULTS.recursive),
});

const ENTRY_FIELDS = new Set(Object.keys(entrySchema.shape));

export const worldSchema = z.looseObject({
  id: contentId,
  name: displayName,
  lore: z.string(),
  start_message: z.string(),
  scene: optionalText,
  system_prompt: optionalText,
  entries: z
    .array(entrySchema)
    .nullish()
    .transform((value) => value ?? []),
  alternate_greetings: z
    .array(z.string())
    .nullish()
    .transform((value) => value ?? []),
  narrator_name: optionalText,
});

const WORLD_FIELDS = new Set(Object.keys(worldSchema.shape));

export const characterSchema = z.object({ id: contentId, name: displayName, persona: z.string() });
export const ruleSchema = z.object({ id: contentId, name: displayName, prompt: z.string() });
/** `system_rules.yaml` holds one field, `prompt`, like a rule. */
export const systemRulesSchema = z.object({ prompt: z.string().min(1) });

const extraFields = (record: Record<string, unknown>, known: Set<string>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !known.has(key)));

type EntryInput = z.infer<typeof entrySchema>;

const toLoreEntry = (entry: EntryInput, index: number): LoreEntry => ({
  id: entry.id === undefined || entry.id === null ? String(index) : String(entry.id),
  comment: entry.comment,
  keys: entry.keys,
  secondaryKeys: entry.secondary_keys,
  selectiveLogic: entry.selective_logic,
  content: entry.content,
  constant: entry.constant,
  enabled: entry.enabled,
  caseSensitive: entry.case_sensitive,
  wholeWords: entry.whole_words,
  order: entry.order,
  scanDepth: entry.scan_depth,
  recursive: entry.recursive,
  extra: extraFields(entry, ENTRY_FIELDS),
});

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export const parseWorld = (raw: unknown): Parsed<World> => {
  const result = worldSchema.safeParse(raw);
  if (!result.success) return { ok: false, problem: describeIssues(result.error.issues, raw) };
  const file = result.data;
  const entries = file.entries.map(toLoreEntry);
  const duplicate = findDuplicateEntry(entries);
  if (duplicate) return { ok: false, problem: duplicate };
  return {
    ok: true,
    value: {
      id: file.id,
      name: file.name,
      lore: file.lore,
      startMessage: file.start_message,
      alternateGreetings: file.alternate_greetings,
      scene: file.scene,
      systemPrompt: file.system_prompt,
      entries,
      narratorName: file.narrator_name,
      extra: extraFields(file, WORLD_FIELDS),
    },
  };
};

export const parseCharacter = (raw: unknown): Parsed<Character> => {
  const result = characterSchema.safeParse(raw);
  if (!result.success) return { ok: false, problem: describeIssues(result.error.issues, raw) };
  return { ok: true, value: result.data };
};

export const parseRule = (raw: unknown): Parsed<Rule> => {
  const result = ruleSchema.safeParse(raw);
  if (!result.success) return { ok: false, problem: describeIssues(result.error.issues, raw) };
  return { ok: true, value: result.data };
};

export const parseSystemRules = (raw: unknown): Parsed<string> => {
  const result = systemRulesSchema.safeParse(raw);
  if (!result.success) return { ok: false, problem: describeIssues(result.error.issues, raw) };
  return { ok: true, value: result.data.prompt };
};

const findDuplicateEntry = (entries: LoreEntry[]): string | undefined => {
  const seen = new Map<string, number>();
  for (const [index, entry] of entries.entries()) {
    const first = seen.get(entry.id);
    if (first !== undefined) {
      return `entries[${index}] has the same id '${entry.id}' as entries[${first}]; entry ids must be unique within a world`;
    }
    seen.set(entry.id, index);
  }
  return undefined;
};

// ---------------------------------------------------------------- readable problems

const MAX_REPORTED_ISSUES = 3;

/** Turns zod issues into one sentence a content author can act on, e.g. "field 'lore' must be a string (got a number)". */
export const describeIssues = (issues: readonly z.core.$ZodIssue[], raw: unknown): string => {
  const described = issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => describeIssue(issue, raw));
  const more = issues.length - described.length;
  return more > 0 ? `${described.join('; ')} (and ${more} more)` : described.join('; ');
};

const describeIssue = (issue: z.core.$ZodIssue, raw: unknown): string => {
  const field = `field '${formatPath(issue.path)}'`;
  const actual = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (actual === undefined) return `missing required ${field}`;
      return `${field} must be ${article(issue.expected)} (got ${describeValue(actual)})`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map(String).join(', ')} (got ${describeValue(actual)})`;
    case 'invalid_union':
      return `${field} has an unexpected type (got ${describeValue(actual)})`;
    case 'too_small':
      if (issue.origin === 'string') return `${field} must not be empty`;
      return `${field} must be at least ${String(issue.minimum)} (got ${describeValue(actual)})`;
    case 'custom':
      return `${field} ${issue.message} (got ${describeValue(actual)})`;
    default:
      return `${field}: ${issue.message}`;
  }
};

const formatPath = (path: readonly PropertyKey[]): string =>
  path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');

const valueAt = (raw: unknown, path: readonly PropertyKey[]): unknown => {
  let current: unknown = raw;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
};

const TYPE_NAMES: Record<string, string> = { object: 'a mapping (key: value)', array: 'a list' };

const article = (expected: string): string => TYPE_NAMES[expected] ?? (/^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);

export const describeValue = (value: unknown): string => {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length > 40 ? `'${value.slice(0, 40)}…'` : `'${value}'`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
};
