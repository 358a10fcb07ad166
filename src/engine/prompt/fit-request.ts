/**
 * The last step of assembly: counts the request exactly as it will be sent and, while it is over
 * the input budget, drops what matters least. Budgets are planned from per-block estimates; the
 * headings and joins between blocks can add a few tokens, and this makes the bound hold anyway.
 */
import type { LeftOutBlock, ManifestBlock, ManifestBlockKind } from '../../protocol/index.ts';
import { MESSAGE_OVERHEAD, messageTokens, REQUEST_OVERHEAD, truncateToTokens } from '../context/budget.ts';
import type { ChatMessage } from '../ports.ts';
import { type TokenCounter, uncachedTokens } from '../tokens.ts';
import type { HistoryPick } from './build-prompt.ts';
import { countWithBullets } from './line-tokens.ts';
import { withNote } from './note.ts';
import { bulletTexts, type Part, renderSystem, systemBlocks } from './sections.ts';

export interface FitInput {
  inputBudget: number;
  parts: Part[];
  /** Oldest first; the newest `floorCount` are the guaranteed recent messages. */
  history: HistoryPick[];
  floorCount: number;
  user: string;
  /** The author's note, sent at the start of the user message. */
  note?: Part;
  /** Dropped blocks are added here. */
  leftOut: LeftOutBlock[];
  tokens?: TokenCounter;
}

export interface Fitted {
  messages: ChatMessage[];
  systemBlocks: ManifestBlock[];
  history: HistoryPick[];
  /** The author's note when it was kept. */
  note?: Part;
  totalTokens: number;
}

/** Volatile sections, least important first. */
const VOLATILE_DROP: readonly ManifestBlockKind[] = ['memory', 'lore', 'entry', 'summary', 'scene'];
/** Stable blocks that may go before the base rules and the character are cut. */
const STABLE_DROP: readonly ManifestBlockKind[] = ['constant_entry', 'rule', 'world_prompt'];

const DETAIL = 'the assembled request was over the input budget, so it was dropped by priority';

export function fitRequest(input: FitInput): Fitted {
  const parts = [...input.parts];
  const history = [...input.history];
  let extra = history.length - input.floorCount;
  let historyTokens = history.reduce((sum, pick) => sum + pick.tokens, 0);
  const counter = input.tokens ?? uncachedTokens;
  let note = input.note;
  // The note and the player's words are one message, counted whole: exact, and short.
  let userTokens = messageTokens(withNote(input.user, note), counter);

  const dropOldestMessage = () => {
    const dropped = history.shift() as HistoryPick;
    historyTokens -= dropped.tokens;
    input.leftOut.push({
      kind: 'history',
      label: `message ${dropped.message.id}`,
      source: { from_message_id: dropped.message.id, to_message_id: dropped.message.id, message_count: 1 },
      tokens: dropped.tokens,
      reason: 'context_full',
      detail: DETAIL,
    });
  };
  const dropLastOf = (kinds: readonly ManifestBlockKind[]): boolean => {
    for (const kind of kinds) {
      const at = parts.findLastIndex((part) => part.kind === kind);
      if (at < 0) continue;
      const [part] = parts.splice(at, 1) as [Part];
      input.leftOut.push({ kind: part.kind, label: part.label, source: part.source, tokens: part.tokens, reason: 'context_full', detail: DETAIL });
      return true;
    }
    return false;
  };

  // Dropped in this order: history beyond the guaranteed recent messages, volatile sections, the
  // author's note, the recent messages, stable blocks; last, the system message itself is cut.
  for (;;) {
    const system = renderSystem(parts);
    // Exact, without tokenizing the whole message again: the lines of the stable sections are
    // counted already, and each lore or memory line from its part's count (line-tokens.ts).
    const total = REQUEST_OVERHEAD + countWithBullets(system, bulletTexts(parts), counter) + MESSAGE_OVERHEAD + historyTokens + userTokens;
    if (total <= input.inputBudget) return done(system, parts, history, input.user, note, total);
    if (extra > 0) {
      extra--;
      dropOldestMessage();
      continue;
    }
    if (dropLastOf(VOLATILE_DROP)) continue;
    if (note) {
      input.leftOut.push({ kind: note.kind, label: note.label, source: note.source, tokens: note.tokens, reason: 'context_full', detail: DETAIL });
      note = undefined;
      userTokens = messageTokens(input.user, counter);
      continue;
    }
    if (history.length > 0) {
      dropOldestMessage();
      continue;
    }
    if (dropLastOf(STABLE_DROP)) continue;
    // Only the base rules and the character are left and still too large: cut the message itself.
    const allowed = Math.max(0, input.inputBudget - REQUEST_OVERHEAD - userTokens - MESSAGE_OVERHEAD);
    const cut = truncateToTokens(system, allowed);
    const marked = parts.map((part) => ({ ...part, truncated: true }));
    return done(cut, marked, history, input.user, note, REQUEST_OVERHEAD + messageTokens(cut) + userTokens);
  }
}

function done(system: string, parts: Part[], history: HistoryPick[], user: string, note: Part | undefined, totalTokens: number): Fitted {
  return {
    messages: [
      { role: 'system', content: system },
      ...history.map((pick): ChatMessage => ({ role: pick.message.role, content: pick.message.content })),
      { role: 'user', content: withNote(user, note) },
    ],
    systemBlocks: systemBlocks(parts),
    history,
    ...(note ? { note } : {}),
    totalTokens,
  };
}
