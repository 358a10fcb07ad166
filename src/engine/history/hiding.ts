/**
 * Messages hidden from the narrator (`/hide`, SillyTavern's "hidden" messages). A hidden message
 * stays in the story: numbered, shown, exported. The prompt, entry activation, dice binding,
 * memories and the rolling summary pass it over; hiding or showing one rebuilds the memories
 * and drops the summary, which is then built again without it.
 */
import type { MessageRecord, Store } from '../ports.ts';
import { syncMemories } from './memory-sync.ts';
import type { NumberedMessage } from './numbering.ts';

export type MessageRange = { ok: true; from: number; to: number } | { ok: false; problem: string };

const SINGLE = /^(\d{1,9})$/;
const RANGE = /^(\d{1,9})\s*[-–]\s*(\d{1,9})$/;

/** `N` or `N-M`, numbers as the chat shows them (1 to `count`); the problem names what is valid. */
export function parseMessageRange(text: string, count: number): MessageRange {
  const valid = count === 0 ? 'the session has no messages yet' : `messages are numbered 1 to ${count}`;
  const match = SINGLE.exec(text) ?? RANGE.exec(text);
  if (!match) return { ok: false, problem: `is not a message number or range (N or N-M): ${valid}` };
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  if (from > to) return { ok: false, problem: `runs backwards: write the lower number first (${to}-${from})` };
  if (from < 1 || to > count) return { ok: false, problem: `is outside the chat: ${valid}` };
  return { ok: true, from, to };
}

/** Sets the hidden flag of `messages` and keeps memories in step; returns the ones that changed. */
export function setHidden(store: Store, sessionId: string, messages: readonly NumberedMessage[], hidden: boolean, now: number): NumberedMessage[] {
  const changing = messages.filter(({ message }) => isHidden(message) !== hidden);
  if (changing.length === 0) return [];
  store.transaction(() => {
    for (const { message } of changing) store.messages.update(message.id, { hidden });
    syncMemories(store, sessionId, changing.map(({ message }) => message.id), now);
  });
  return changing;
}

export const isHidden = (message: MessageRecord): boolean => message.hidden === true;

/** `message 3` or `messages 3–5`, for notices. */
export const rangeText = (from: number, to: number): string => (from === to ? `message ${from}` : `messages ${from}–${to}`);
