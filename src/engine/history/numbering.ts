/**
 * Message numbers as players see them: 1-based over the session's visible messages in
 * `chat_history` order. `/edit N`, `/delete N` and `/fork N` use these numbers, and every
 * `chat_history` entry carries its number, so the two can never disagree.
 */
import type { MessageRecord, Store } from '../ports.ts';

export interface NumberedMessage {
  /** 1-based, as shown. */
  n: number;
  message: MessageRecord;
}

/** Shown in history: any role with text, except a reply still streaming (clients get it as chunks). */
export const isVisible = (message: MessageRecord): boolean => message.content !== '' && message.status !== 'streaming';

export function numberMessages(messages: readonly MessageRecord[]): NumberedMessage[] {
  return messages.filter(isVisible).map((message, index) => ({ n: index + 1, message }));
}

export function visibleMessages(store: Store, sessionId: string): NumberedMessage[] {
  return numberMessages(store.messages.list(sessionId));
}

/** Parses a message number typed by the player; undefined when it is not a positive integer. */
export function parseMessageNumber(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}
