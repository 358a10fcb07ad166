/**
 * The pieces of a story turn's system message and how they are laid out. Stable pieces come
 * first (base rules, universal laws, the world's instructions, the player character, constant
 * entries) so providers' prompt caches keep hitting; the volatile ones (scene, summary, keyword
 * entries, retrieved lore, memories) follow under `### CURRENT CONTEXT ###`.
 */
import type { ManifestBlock, ManifestBlockKind, ManifestSource } from '../../protocol/index.ts';
import { type TokenCounter, uncachedTokens } from '../tokens.ts';

export const CLOSING = 'Never break character.';

/** One block of the system message, as it will be written. */
export interface Part {
  kind: ManifestBlockKind;
  label: string;
  source: ManifestSource;
  text: string;
  /** The text plus its line break or bullet. */
  tokens: number;
  truncated?: boolean;
}

/** A bullet or line break per part; headings are counted once in `HEADINGS_RESERVE`. */
export const PART_OVERHEAD = 2;
/** Section headings, labels and blank lines between sections, at most. */
export const HEADINGS_RESERVE = 48;

export function makePart(kind: ManifestBlockKind, label: string, source: ManifestSource, text: string, tokens: TokenCounter = uncachedTokens): Part {
  const trimmed = text.trim();
  return { kind, label, source, text: trimmed, tokens: tokens.count(trimmed) + PART_OVERHEAD };
}

const STABLE_ORDER: readonly ManifestBlockKind[] = ['base_rules', 'rule', 'world_prompt', 'character', 'constant_entry'];
const CONTEXT_ORDER: readonly ManifestBlockKind[] = ['scene', 'summary', 'entry', 'lore', 'memory'];

const of = (parts: readonly Part[], kind: ManifestBlockKind): Part[] => parts.filter((part) => part.kind === kind);
const bulleted = (parts: readonly Part[]): string => parts.map((part) => `- ${part.text}`).join('\n');
const lines = (parts: readonly Part[]): string => parts.map((part) => part.text).join('\n');

function stableSection(kind: ManifestBlockKind, parts: Part[]): string {
  if (parts.length === 0) return '';
  if (kind === 'rule') return ['### UNIVERSAL LAWS ###', lines(parts)].join('\n');
  if (kind === 'character') return ['### THE PLAYER CHARACTER ###', lines(parts)].join('\n');
  return lines(parts);
}

function contextSection(kind: ManifestBlockKind, parts: Part[]): string {
  if (parts.length === 0) return '';
  switch (kind) {
    case 'scene':
      return `Scene:\n${lines(parts)}`;
    case 'summary':
      return `Story so far:\n${lines(parts)}`;
    case 'entry':
      return `Lore entries:\n${lines(parts)}`;
    case 'lore':
      return `Relevant lore:\n${bulleted(parts)}`;
    case 'memory':
      return `Memories of earlier exchanges:\n${bulleted(parts)}`;
    default:
      return '';
  }
}

/** The system message: sections joined by blank lines, in cache-friendly order. */
export function renderSystem(parts: readonly Part[]): string {
  const stable = STABLE_ORDER.map((kind) => stableSection(kind, of(parts, kind)));
  const context = CONTEXT_ORDER.map((kind) => contextSection(kind, of(parts, kind))).filter((text) => text !== '');
  const current = context.length === 0 ? '' : ['### CURRENT CONTEXT ###', ...context].join('\n');
  return [...stable, current, CLOSING].filter((section) => section.trim() !== '').join('\n\n');
}

/** The texts written as `- ` bullets (`contextSection`), in the order they appear in the system message. */
export const bulletTexts = (parts: readonly Part[]): string[] => (['lore', 'memory'] as const).flatMap((kind) => of(parts, kind).map((part) => part.text));

/** The parts in the order they appear in the system message, as manifest blocks. */
export function systemBlocks(parts: readonly Part[]): ManifestBlock[] {
  return [...STABLE_ORDER, ...CONTEXT_ORDER].flatMap((kind) => of(parts, kind).map(toBlock));
}

export function toBlock(part: Part): ManifestBlock {
  return {
    kind: part.kind,
    label: part.label,
    source: part.source,
    tokens: part.tokens,
    ...(part.truncated ? { truncated: true } : {}),
  };
}

/** A short readable label from free text (a lore chunk, a memory). */
export function labelFrom(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
