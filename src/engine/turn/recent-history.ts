/**
 * The history a turn is assembled from, read in growing pages instead of the newest
 * `HISTORY_MESSAGES` every turn. A page is enough when assembly could not tell it from the full
 * read: it holds more tokens than the whole input budget (so the newest-first fill stops inside
 * it), the messages entries are scanned against, and a player message (so it is not the first turn).
 */
import { messageTokens } from '../context/budget.ts';
import type { MessageRecord, Store } from '../ports.ts';
import { HISTORY_MESSAGES, inPromptHistory } from '../prompt/build-prompt.ts';
import type { TokenCounter } from '../tokens.ts';
import { ENTRY_SCAN_MESSAGES } from './assemble-prompt.ts';

/** About 8,000 tokens of typical 400-character messages: the default context's history fits in one read. */
const FIRST_PAGE = 96;
/** Read this many more than the last turn needed: a turn adds two messages. */
const PAGE_MARGIN = 16;
const REMEMBERED_SESSIONS = 256;

/**
 * How many messages each session's last turn needed, so the next turn reads about that many in
 * one go. Only a hint: the read is checked all the same. One per engine.
 */
export class HistoryPageSizes {
  private readonly sizes = new Map<string, number>();

  get(sessionId: string): number | undefined {
    return this.sizes.get(sessionId);
  }

  set(sessionId: string, size: number): void {
    this.sizes.delete(sessionId);
    this.sizes.set(sessionId, size);
    if (this.sizes.size > REMEMBERED_SESSIONS) {
      const oldest = this.sizes.keys().next().value;
      if (oldest !== undefined) this.sizes.delete(oldest);
    }
  }
}

export interface RecentHistory {
  /** Oldest first: the newest messages of the session, up to `HISTORY_MESSAGES`. */
  messages: MessageRecord[];
  /** No player message in the session yet. */
  firstTurn: boolean;
}

export function recentHistory(store: Store, sessionId: string, inputBudget: number, tokens: TokenCounter, pages?: HistoryPageSizes): RecentHistory {
  let limit = Math.min(HISTORY_MESSAGES, Math.max(FIRST_PAGE, pages?.get(sessionId) ?? 0));
  for (;;) {
    const messages = store.messages.recent(sessionId, limit);
    const whole = messages.length < limit;
    const page = whole || limit >= HISTORY_MESSAGES ? undefined : measure(messages, inputBudget, tokens);
    if (page === undefined || page.enough) {
      if (page?.enough) pages?.set(sessionId, page.needed + PAGE_MARGIN);
      else pages?.set(sessionId, limit);
      const firstTurn = !messages.some((m) => m.role === 'user') && (whole || store.messages.count(sessionId) === messages.length);
      return { messages, firstTurn };
    }
    // Aim the next read at the budget from this page's tokens per message, with a margin.
    const aimed = Math.ceil((limit * inputBudget * 1.25) / Math.max(1, page.tokens));
    limit = Math.min(HISTORY_MESSAGES, Math.max(limit * 2, aimed));
  }
}

/** Whether the page is enough; the tokens its newest messages hold, and how many of them it took. */
function measure(messages: readonly MessageRecord[], inputBudget: number, tokens: TokenCounter): { enough: boolean; tokens: number; needed: number } {
  let sum = 0;
  let at = messages.length - 1;
  for (; at >= 0 && sum <= inputBudget; at--) {
    const message = messages[at] as MessageRecord;
    // The same filter as prompt assembly.
    if (!inPromptHistory(message)) continue;
    sum += messageTokens(message.content, tokens);
  }
  const needed = messages.length - 1 - at;
  if (sum <= inputBudget || !messages.some((m) => m.role === 'user')) return { enough: false, tokens: sum, needed };
  // Entry activation's filter: it scans this many of them.
  const scanned = messages.filter((m) => m.role !== 'system' && m.content !== '' && !m.hidden).length;
  return { enough: scanned >= ENTRY_SCAN_MESSAGES, tokens: sum, needed };
}
