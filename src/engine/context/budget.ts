/**
 * Token budgets for one request: the model's context length minus the room kept for the reply,
 * split between the parts of the prompt. Counts are gpt-tokenizer estimates; each chat message
 * also costs a few tokens of framing, counted here so the request as sent stays in bounds.
 */
import type { ChatMessage, ModelInfo } from '../ports.ts';
import { decodeTokens as decode, encodeTokens as encode, estimateTokens, type TokenCounter, uncachedTokens } from '../tokens.ts';

export const DEFAULT_CONTEXT_LENGTH = 8_192;
export const DEFAULT_REPLY_TOKENS = 1_024;
/** Role markers and separators around each chat message (OpenAI-style chat framing). */
export const MESSAGE_OVERHEAD = 4;
/** The tokens that prime the reply. */
export const REQUEST_OVERHEAD = 3;
/** Guaranteed to the recent history when it fits: the original sent the last 10 messages. */
export const MIN_HISTORY_MESSAGES = 10;

export interface ContextWindow {
  contextLength: number;
  /** Kept free for the reply (the request's max output tokens). */
  replyBudget: number;
  /** What the request itself may take: `contextLength - replyBudget`. */
  inputBudget: number;
}

export interface WindowOptions {
  /** Used when the model does not report its context length. */
  defaultContextLength?: number;
  replyTokens?: number;
}

const positive = (value: number | undefined): value is number => value !== undefined && Number.isInteger(value) && value > 0;

export function contextWindow(model: ModelInfo | undefined, options: WindowOptions = {}): ContextWindow {
  const contextLength = positive(model?.contextLength)
    ? model.contextLength
    : positive(options.defaultContextLength)
      ? options.defaultContextLength
      : DEFAULT_CONTEXT_LENGTH;
  // The gateway asks for the model's configured max output tokens (default 1,024): keep that free.
  const wanted = positive(options.replyTokens) ? options.replyTokens : positive(model?.maxOutputTokens) ? model.maxOutputTokens : DEFAULT_REPLY_TOKENS;
  // A tiny context still leaves the prompt at least half of it.
  const replyBudget = Math.min(wanted, Math.floor(contextLength / 2));
  return { contextLength, replyBudget, inputBudget: contextLength - replyBudget };
}

export const messageTokens = (content: string, tokens: TokenCounter = uncachedTokens): number => tokens.count(content) + MESSAGE_OVERHEAD;

/** The whole request as the model will count it (our estimate). */
export const requestTokens = (messages: readonly ChatMessage[]): number =>
  messages.reduce((sum, message) => sum + messageTokens(message.content), REQUEST_OVERHEAD);

/**
 * `text` cut to at most `max` tokens, marker included. `keep: 'end'` keeps the newest part
 * (for a summary, whose latest events matter most).
 */
export function truncateToTokens(text: string, max: number, options: { marker?: string; keep?: 'start' | 'end' } = {}): string {
  if (max <= 0) return '';
  const tokens = encode(text);
  if (tokens.length <= max) return text;
  const marker = options.marker ?? '…';
  const room = max - estimateTokens(marker);
  if (room <= 0) return decode(tokens.slice(0, max));
  if (options.keep === 'end') return `${marker}${decode(tokens.slice(tokens.length - room))}`;
  return `${decode(tokens.slice(0, room))}${marker}`;
}

/** How the room left after the stable core, the user message and the history floor is split. */
export interface SectionBudgets {
  scene: number;
  entries: number;
  summary: number;
  lore: number;
  memories: number;
}

const SHARES: ReadonlyArray<[keyof SectionBudgets, number]> = [
  ['scene', 0.25],
  ['entries', 0.2],
  ['summary', 0.15],
  ['lore', 0.15],
  ['memories', 0.15],
];
/** Each section gets at least this much (or a sixteenth of the room, if smaller). */
const MIN_SECTION_TOKENS = 128;

export const sectionMinimum = (room: number): number => Math.max(0, Math.min(MIN_SECTION_TOKENS, Math.floor(room / 16)));

/**
 * Budgets for the volatile sections out of `room` tokens; they never add up to more than
 * `room`, and what a section leaves unused goes to older history.
 */
export function planSections(room: number, firstTurn: boolean): SectionBudgets {
  const minimum = sectionMinimum(room);
  const budgets: SectionBudgets = { scene: 0, entries: 0, summary: 0, lore: 0, memories: 0 };
  let left = Math.max(0, room);
  for (const [section, share] of SHARES) {
    if (section === 'scene' && !firstTurn) continue;
    const wanted = Math.max(minimum, Math.floor(room * share));
    budgets[section] = Math.min(left, wanted);
    left -= budgets[section];
  }
  return budgets;
}
