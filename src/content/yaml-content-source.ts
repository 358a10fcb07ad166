/**
 * The content port over a folder of YAML files:
 *
 *   <assetsDir>/worlds/*.yaml       one world per file
 *   <assetsDir>/characters/*.yaml   one player character per file
 *   <assetsDir>/rules/*.yaml        one rule per file
 *   <assetsDir>/system_rules.yaml   `prompt:` the base narrative rules (built-in default when missing)
 *
 * A broken file is skipped with a warning naming the file and the problem; the rest loads.
 * Across reloads the source remembers each file's last accepted object, so a broken edit keeps
 * the last good version (with a warning) instead of making content vanish mid-story.
 */
import { realpathSync } from 'node:fs';
import type { Character, Content, ContentLoad, ContentWarning, Rule, World } from '../engine/content.ts';
import type { ContentSource, Logger } from '../engine/ports.ts';
import { MAX_CONTENT_FILE_BYTES, listYamlFiles, readYamlFile } from './content-files.ts';
import { DEFAULT_SYSTEM_RULES } from './default-system-rules.ts';
import { watchContentFolders } from './watch-content.ts';
import { parseCharacter, parseRule, parseSystemRules, parseWorld, type Parsed } from './schemas.ts';

export interface YamlContentSourceOptions {
  assetsDir: string;
  logger: Logger;
  /** Quiet period after the last file event before `onChange` fires. */
  debounceMs?: number;
  maxFileBytes?: number;
}

export const CONTENT_FOLDERS = ['worlds', 'characters', 'rules'] as const;
export const SYSTEM_RULES_FILE = 'system_rules.yaml';

interface Identified {
  id: string;
}

/** The last accepted object of each file, by relative path. */
type LastGood = Map<string, unknown>;

export const createYamlContentSource = (options: YamlContentSourceOptions): ContentSource => {
  const { assetsDir, logger } = options;
  const maxBytes = options.maxFileBytes ?? MAX_CONTENT_FILE_BYTES;
  let lastGood: LastGood = new Map();

  const load = (): ContentLoad => {
    const warnings: ContentWarning[] = [];
    const accepted: LastGood = new Map();
    const root = realRoot(assetsDir);
    if (!root) {
      warnings.push({ file: assetsDir, problem: 'assets folder not found; no worlds, characters or rules loaded' });
      return { content: emptyContent(), warnings };
    }
    const collect = <T extends Identified>(folder: string, kind: string, parse: (raw: unknown) => Parsed<T>) => {
      const byId = new Map<string, T>();
      const owner = new Map<string, string>();
      for (const file of listYamlFiles(root, folder)) {
        const fresh = parseFile(root, file, maxBytes, parse);
        const taken = fresh.ok ? owner.get(fresh.value.id) : undefined;
        if (fresh.ok && taken === undefined) {
          byId.set(fresh.value.id, fresh.value);
          owner.set(fresh.value.id, file);
          accepted.set(file, fresh.value);
          continue;
        }
        const problem = fresh.ok ? `duplicate ${kind} id '${fresh.value.id}' (already defined in ${taken})` : fresh.problem;
        const previous = lastGood.get(file) as T | undefined;
        if (previous && !owner.has(previous.id)) {
          byId.set(previous.id, previous);
          owner.set(previous.id, file);
          accepted.set(file, previous);
          warnings.push({ file, problem: `${problem}; kept the last good version` });
          continue;
        }
        warnings.push({ file, problem });
      }
      return byId;
    };
    const worlds = collect<World>('worlds', 'world', parseWorld);
    const characters = collect<Character>('characters', 'character', parseCharacter);
    const rules = collect<Rule>('rules', 'rule', parseRule);
    const systemRules = loadSystemRules(root, maxBytes, lastGood, accepted, warnings);
    lastGood = accepted;
    return { content: { worlds, characters, rules, systemRules }, warnings };
  };

  return {
    load,
    watch: (onChange) =>
      watchContentFolders({
        assetsDir,
        folders: CONTENT_FOLDERS,
        debounceMs: options.debounceMs ?? 200,
        logger,
        onChange,
      }),
  };
};

const parseFile = <T>(root: string, file: string, maxBytes: number, parse: (raw: unknown) => Parsed<T>): Parsed<T> => {
  const read = readYamlFile(root, file, maxBytes);
  return read.ok ? parse(read.raw) : read;
};

const loadSystemRules = (
  root: string,
  maxBytes: number,
  lastGood: LastGood,
  accepted: LastGood,
  warnings: ContentWarning[],
): string => {
  const file = SYSTEM_RULES_FILE;
  const read = readYamlFile(root, file, maxBytes);
  if (!read.ok && read.missing) return DEFAULT_SYSTEM_RULES;
  const parsed = read.ok ? parseSystemRules(read.raw) : read;
  if (parsed.ok) {
    accepted.set(file, parsed.value);
    return parsed.value;
  }
  const previous = lastGood.get(file) as string | undefined;
  if (previous !== undefined) {
    accepted.set(file, previous);
    warnings.push({ file, problem: `${parsed.problem}; kept the last good version` });
    return previous;
  }
  warnings.push({ file, problem: `${parsed.problem}; using the built-in base rules` });
  return DEFAULT_SYSTEM_RULES;
};

const realRoot = (assetsDir: string): string | undefined => {
  try {
    return realpathSync(assetsDir);
  } catch {
    return undefined;
  }
};

const emptyContent = (): Content => ({
  worlds: new Map(),
  characters: new Map(),
  rules: new Map(),
  systemRules: DEFAULT_SYSTEM_RULES,
});
