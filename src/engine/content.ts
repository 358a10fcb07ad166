/** Content the player chooses from. Loaded from YAML by the content adapter, validated there. */

export type SelectiveLogic = 'and_any' | 'and_all' | 'not_any' | 'not_all';

/** A keyword lore entry (lorebook / SillyTavern World Info compatible). */
export interface LoreEntry {
  /** Stable within its world: from the file, or the entry's index when it has none. */
  id: string;
  comment: string;
  /** Plain words, or `/regex/flags`. */
  keys: string[];
  secondaryKeys: string[];
  selectiveLogic: SelectiveLogic;
  content: string;
  constant: boolean;
  enabled: boolean;
  caseSensitive: boolean;
  wholeWords: boolean;
  /** Higher first when the budget is tight. */
  order: number;
  /** How many recent messages are scanned for keys. */
  scanDepth: number;
  /** Whether this entry's text may trigger other entries. */
  recursive: boolean;
  /** Fields from imported formats we do not use, kept so a re-export is lossless. */
  extra: Record<string, unknown>;
}

export interface World {
  id: string;
  name: string;
  lore: string;
  startMessage: string;
  /** Extra greetings a session may start with instead of `startMessage` (imported cards). */
  alternateGreetings: string[];
  scene: string;
  systemPrompt: string;
  entries: LoreEntry[];
  /** The name the narrator plays when the world came from a character card (for `{{char}}`). */
  narratorName: string;
  extra: Record<string, unknown>;
}

/** The PLAYER's persona, not an AI character. */
export interface Character {
  id: string;
  name: string;
  persona: string;
}

export interface Rule {
  id: string;
  name: string;
  prompt: string;
}

export interface Content {
  worlds: ReadonlyMap<string, World>;
  characters: ReadonlyMap<string, Character>;
  rules: ReadonlyMap<string, Rule>;
  /** The base narrative rules for every session. */
  systemRules: string;
}

export interface ContentWarning {
  file: string;
  problem: string;
}

export interface ContentLoad {
  content: Content;
  warnings: ContentWarning[];
}

/** Ids are the only way content is looked up; they never become paths. */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
export const isValidId = (id: string): boolean => ID_PATTERN.test(id) && id.length <= 128;
