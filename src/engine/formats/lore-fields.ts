/**
 * Shared machinery for lossless lorebook import/export.
 *
 * An imported entry keeps every field we do not use in `extra`, verbatim. For the fields we do
 * map, `extra[IMPORT_KEY]` remembers the source's original values and what they imported as,
 * so re-exporting an unchanged field writes the original back (a `null` stays `null`), while a
 * field changed in Flower is written from the new value.
 */
import type { LoreEntry, SelectiveLogic } from '../content.ts';

export const IMPORT_KEY = 'flowerImport';
export const DEFAULT_SCAN_DEPTH = 2;
export const DEFAULT_ORDER = 100;

export type LoreFormat = 'st_world_info' | 'character_book';

export type CoreFields = Omit<LoreEntry, 'extra'>;
export type CoreName = keyof CoreFields;

export interface ImportSnapshot {
  format: LoreFormat;
  /** The source's own values of the fields this format maps (absent ones are not listed). */
  owned: Record<string, unknown>;
  /** What those fields imported as. */
  core: CoreFields;
}

export class LorebookFormatError extends Error {
  override name = 'LorebookFormatError';
}

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys may be an array or (in old files) one comma-separated string. */
export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).map(String);
  if (typeof value === 'string') return value.split(',').map((key) => key.trim()).filter(Boolean);
  return [];
}

export const SELECTIVE_LOGIC: readonly SelectiveLogic[] = ['and_any', 'not_all', 'not_any', 'and_all'];

export function logicFromNumber(value: unknown, warn: (problem: string) => void): SelectiveLogic {
  if (value === undefined || value === null) return 'and_any';
  const logic = SELECTIVE_LOGIC[Number(value)];
  if (logic) return logic;
  warn(`unknown selectiveLogic ${JSON.stringify(value)}, using AND ANY`);
  return 'and_any';
}

export const logicToNumber = (logic: SelectiveLogic): number => SELECTIVE_LOGIC.indexOf(logic);

export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function numberOr(value: unknown, fallback: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : fallback;
}

/** Splits a source object into the fields a format owns and the rest (kept verbatim in `extra`). */
export function splitOwned(raw: Json, ownedNames: readonly string[]): { owned: Json; rest: Json } {
  const owned: Json = {};
  const rest: Json = {};
  for (const [name, value] of Object.entries(raw)) (ownedNames.includes(name) ? owned : rest)[name] = value;
  return { owned, rest };
}

export function snapshotOf(entry: LoreEntry, format: LoreFormat): ImportSnapshot | undefined {
  const snapshot = entry.extra[IMPORT_KEY];
  if (!isObject(snapshot) || snapshot['format'] !== format) return undefined;
  return snapshot as unknown as ImportSnapshot;
}

export function extraWithoutSnapshot(entry: LoreEntry): Json {
  const { [IMPORT_KEY]: _snapshot, ...rest } = entry.extra;
  return rest;
}

/** The fields of a core entry that changed since import (all of them when there is no snapshot). */
export function changedFields(entry: LoreEntry, snapshot: ImportSnapshot | undefined): Set<CoreName> {
  const names = Object.keys(entry).filter((name) => name !== 'extra') as CoreName[];
  return new Set(names.filter((name) => !snapshot || !sameValue(entry[name], snapshot.core[name])));
}

/** An imported entry: `core` plus every other source field in `extra`, with the snapshot that makes re-export lossless. */
export function importedEntry(raw: Json, ownedNames: readonly string[], format: LoreFormat, core: CoreFields): LoreEntry {
  const { owned, rest } = splitOwned(raw, ownedNames);
  const snapshot: ImportSnapshot = { format, owned, core: structuredClone(core) };
  return { ...core, extra: { ...rest, [IMPORT_KEY]: snapshot } };
}

/** What exporting an entry to `format` starts from: its snapshot (if imported from it), other extras, and changed fields. */
export function exportStart(entry: LoreEntry, format: LoreFormat): { snapshot: ImportSnapshot | undefined; extra: Json; changed: Set<CoreName> } {
  const snapshot = snapshotOf(entry, format);
  return { snapshot, extra: extraWithoutSnapshot(entry), changed: changedFields(entry, snapshot) };
}

export function coreOf(entry: LoreEntry): CoreFields {
  const { extra: _extra, ...core } = entry;
  return structuredClone(core);
}

/**
 * SillyTavern World Info entry fields and their character-book `extensions` names
 * (SillyTavern's convertCharacterBook / convertWorldInfoToCharacterBook), for cross-format export.
 */
export const ST_EXTENSION_FIELDS: ReadonlyArray<readonly [worldInfo: string, extension: string]> = [
  ['position', 'position'],
  ['excludeRecursion', 'exclude_recursion'],
  ['delayUntilRecursion', 'delay_until_recursion'],
  ['displayIndex', 'display_index'],
  ['probability', 'probability'],
  ['useProbability', 'useProbability'],
  ['depth', 'depth'],
  ['outletName', 'outlet_name'],
  ['group', 'group'],
  ['groupOverride', 'group_override'],
  ['groupWeight', 'group_weight'],
  ['useGroupScoring', 'use_group_scoring'],
  ['automationId', 'automation_id'],
  ['role', 'role'],
  ['vectorized', 'vectorized'],
  ['sticky', 'sticky'],
  ['cooldown', 'cooldown'],
  ['delay', 'delay'],
  ['matchPersonaDescription', 'match_persona_description'],
  ['matchCharacterDescription', 'match_character_description'],
  ['matchCharacterPersonality', 'match_character_personality'],
  ['matchCharacterDepthPrompt', 'match_character_depth_prompt'],
  ['matchScenario', 'match_scenario'],
  ['matchCreatorNotes', 'match_creator_notes'],
  ['triggers', 'triggers'],
  ['ignoreBudget', 'ignore_budget'],
];
