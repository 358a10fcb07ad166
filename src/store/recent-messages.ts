import type { MessageRecord } from '../engine/ports.ts';

/**
 * The newest messages of the sessions read lately, so a turn's history read (hundreds of rows,
 * most of a turn's store time) becomes a copy. The message store keeps each window in step
 * with its own writes; `ConnectionCaches` clears them when anything else may have changed rows.
 *
 * A window holds, oldest first, every message of its session from its first message on;
 * `whole` says no older one exists. Callers get copies: a cached record is never handed out.
 */
interface Window {
  messages: MessageRecord[];
  whole: boolean;
}

export interface RecentMessagesLimits {
  /** Sessions remembered at most, least recently read out first. */
  sessions?: number;
  /** Messages kept per session at most (the oldest go). */
  messages?: number;
}

export class RecentMessages {
  private readonly windows = new Map<string, Window>();
  private readonly maxSessions: number;
  private readonly maxMessages: number;

  constructor(limits: RecentMessagesLimits = {}) {
    this.maxSessions = limits.sessions ?? 8;
    this.maxMessages = limits.messages ?? 1024;
  }

  /** The newest `limit` messages of the session, oldest first; `load` reads them when the window cannot answer. */
  read(sessionId: string, limit: number, load: (limit: number) => MessageRecord[]): MessageRecord[] {
    let window = this.windows.get(sessionId);
    if (window && (window.whole || window.messages.length >= limit)) {
      // Map order is insertion order: re-inserting marks the session most recently read.
      this.windows.delete(sessionId);
    } else {
      const messages = load(limit);
      window = { messages, whole: messages.length < limit };
      this.trim(window);
    }
    this.windows.set(sessionId, window);
    this.evict();
    return window.messages.slice(-limit).map((message) => ({ ...message }));
  }

  /** A message was stored: it is the newest of its session (ids only grow). */
  appended(message: MessageRecord): void {
    const window = this.windows.get(message.sessionId);
    if (!window) return;
    const last = window.messages.at(-1);
    if (last && last.id >= message.id) {
      this.windows.delete(message.sessionId);
      return;
    }
    window.messages.push({ ...message });
    this.trim(window);
  }

  /** Whether a window holds the message with this id. */
  holds(id: number): boolean {
    return this.find(id) !== undefined;
  }

  /** The stored row of a message after it changed. */
  replaced(message: MessageRecord): void {
    const found = this.find(message.id);
    if (found) found.window.messages[found.at] = { ...message };
  }

  removed(id: number): void {
    const found = this.find(id);
    if (found) found.window.messages.splice(found.at, 1);
  }

  forgetSession(sessionId: string): void {
    this.windows.delete(sessionId);
  }

  clear(): void {
    this.windows.clear();
  }

  private find(id: number): { window: Window; at: number } | undefined {
    for (const window of this.windows.values()) {
      const at = indexOfId(window.messages, id);
      if (at >= 0) return { window, at };
    }
    return undefined;
  }

  private trim(window: Window): void {
    const extra = window.messages.length - this.maxMessages;
    if (extra <= 0) return;
    window.messages.splice(0, extra);
    window.whole = false;
  }

  private evict(): void {
    for (const oldest of this.windows.keys()) {
      if (this.windows.size <= this.maxSessions) return;
      this.windows.delete(oldest);
    }
  }
}

/** Binary search: a window's ids ascend. */
function indexOfId(messages: readonly MessageRecord[], id: number): number {
  let low = 0;
  let high = messages.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = (messages[mid] as MessageRecord).id;
    if (at === id) return mid;
    if (at < id) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
