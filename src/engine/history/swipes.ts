/**
 * Alternative replies. The chosen alternative is the message row; the others are parked in the
 * swipe store. A message with alternatives at positions 0..count-1 has every position parked
 * except the chosen one, so the chosen index is the one position missing from the parked list.
 */
import type { MessageRecord, Store, SwipeRecord } from '../ports.ts';

export interface SwipeInfo {
  /** 0-based position of the chosen alternative. */
  index: number;
  count: number;
}

export function swipeInfo(parked: readonly number[]): SwipeInfo {
  const taken = new Set(parked);
  const count = parked.length + 1;
  let index = 0;
  while (taken.has(index)) index++;
  return { index, count };
}

export function messageSwipes(store: Store, messageId: number): SwipeInfo {
  return swipeInfo(store.swipes?.list(messageId).map((swipe) => swipe.position) ?? []);
}

const parkedFrom = (message: MessageRecord, position: number): SwipeRecord => ({
  messageId: message.id,
  position,
  content: message.content,
  status: message.status,
  model: message.model,
  tokens: message.tokens,
  reasoning: message.reasoning,
  createdAt: message.createdAt,
});

/**
 * Parks the chosen alternative and empties the row for a new one at the end. Call inside a
 * transaction; returns the position the chosen one was parked at.
 */
export function startAlternative(store: Store, message: MessageRecord, modelId: string): number {
  const swipes = store.swipes;
  if (!swipes) throw new Error('this store keeps no alternative replies');
  const { index } = messageSwipes(store, message.id);
  swipes.put(parkedFrom(message, index));
  store.messages.update(message.id, { content: '', status: 'streaming', tokens: 0, reasoning: '', model: modelId });
  return index;
}

/** Makes the alternative at `target` the chosen one, parking the current one. Call inside a transaction. */
export function chooseAlternative(store: Store, message: MessageRecord, target: number): void {
  const swipes = store.swipes;
  if (!swipes) throw new Error('this store keeps no alternative replies');
  const wanted = swipes.list(message.id).find((swipe) => swipe.position === target);
  if (!wanted) throw new Error(`message ${message.id} has no alternative at position ${target}`);
  const { index } = messageSwipes(store, message.id);
  swipes.remove(message.id, target);
  swipes.put(parkedFrom(message, index));
  store.messages.update(message.id, {
    content: wanted.content,
    status: wanted.status,
    tokens: wanted.tokens,
    reasoning: wanted.reasoning,
    model: wanted.model,
  });
}

/**
 * Drops the chosen alternative (a regenerate that produced no text) and brings back the one
 * parked at `restore`. Call inside a transaction.
 */
export function dropChosenAlternative(store: Store, messageId: number, restore: number): boolean {
  const swipes = store.swipes;
  const last = swipes?.list(messageId).find((swipe) => swipe.position === restore);
  if (!swipes || !last) return false;
  swipes.remove(messageId, restore);
  // The dropped alternative was the last position; later ones do not exist, so positions stay dense.
  store.messages.update(messageId, {
    content: last.content,
    status: last.status,
    tokens: last.tokens,
    reasoning: last.reasoning,
    model: last.model,
  });
  return true;
}
