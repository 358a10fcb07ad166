/**
 * The author's note (`/note`) in a story turn's request. As SillyTavern places it by default, it
 * goes in the chat rather than the system message: here at depth 1, just before the player's
 * newest message, so the stable system prefix and the history before it stay cacheable. It is
 * written at the start of that user message rather than as a system message of its own: several
 * providers (Gemini) and chat templates refuse a system message after the first user message.
 */
import type { LeftOutBlock } from '../../protocol/index.ts';
import { truncateToTokens } from '../context/budget.ts';
import type { TokenCounter } from '../tokens.ts';
import { makePart, type Part } from './sections.ts';

export const NOTE_LABEL = "Author's note";
/** The most of the input budget a note may take; a longer one is cut. */
export const NOTE_SHARE = 0.125;
/** Between the note and the player's words; the part's `PART_OVERHEAD` counts it. */
export const NOTE_SEPARATOR = '\n\n';
/** A note cut shorter than this is left out instead. */
const MIN_NOTE_TOKENS = 8;

export const frameNote = (note: string): string => `[${NOTE_LABEL}: ${note}]`;

/** The final user message's text: the note (already framed), then the player's words. */
export const withNote = (userText: string, note: Part | undefined): string => (note ? `${note.text}${NOTE_SEPARATOR}${userText}` : userText);

export interface FittedNote {
  part?: Part;
  leftOut?: LeftOutBlock;
}

/**
 * The note as a part of at most `budget` tokens (framing and separator included), cut at the
 * end when longer; left out when not even a short cut fits. `share` is the note's own limit,
 * `budget` the smaller of it and the room the rest of the request leaves.
 */
export function fitNote(note: string, budget: number, share: number, counter: TokenCounter): FittedNote {
  const text = note.trim();
  if (text === '') return {};
  const full = makePart('note', NOTE_LABEL, {}, frameNote(text), counter);
  if (full.tokens <= budget) return { part: full };
  const frameTokens = full.tokens - counter.count(text);
  const room = budget - frameTokens - 1;
  const reason = budget < share ? 'context_full' : 'budget';
  const detail =
    reason === 'budget' ? `the author's note budget is ${budget} tokens (an eighth of the input budget)` : `only ${Math.max(0, budget)} tokens were left for it`;
  if (room < MIN_NOTE_TOKENS) {
    return { leftOut: { kind: 'note', label: NOTE_LABEL, source: {}, tokens: full.tokens, reason, detail } };
  }
  const framed = frameNote(truncateToTokens(text, room));
  return { part: { ...makePart('note', NOTE_LABEL, {}, framed, counter), truncated: true } };
}
