/**
 * Assembles the messages of one story turn against a token budget, and says what went in and
 * what was left out. Pure: everything it needs is passed in (texts already macro-expanded).
 *
 * The request never exceeds the model's context minus the reply budget: the newest user message
 * always fits (cut with a note if it alone is too large); the stable core is kept by priority
 * (base rules, character, world instructions, then rules); at least the last 10 messages are
 * kept when they fit; the volatile sections get their own budgets; older history fills what is
 * left, newest first. A final exact count drops the lowest-priority blocks if needed. The
 * author's note, when the session has one, comes after the stable core in priority and rides at
 * the start of the player's message (note.ts), with at most an eighth of the budget. Messages
 * hidden from the narrator are never sent.
 */
import type { LeftOutBlock, LeftOutReason, ManifestBlock } from '../../protocol/index.ts';
import type { Character, Rule } from '../content.ts';
import {
  type ContextWindow,
  MESSAGE_OVERHEAD,
  MIN_HISTORY_MESSAGES,
  messageTokens,
  planSections,
  REQUEST_OVERHEAD,
  sectionMinimum,
  type SectionBudgets,
  truncateToTokens,
} from '../context/budget.ts';
import type { ChatMessage, LoreChunk, MemoryRecord, MessageRecord } from '../ports.ts';
import { estimateTokens, type TokenCounter, uncachedTokens } from '../tokens.ts';
import { fitRequest } from './fit-request.ts';
import { fitNote, NOTE_SHARE } from './note.ts';
import { CLOSING, HEADINGS_RESERVE, labelFrom, makePart, PART_OVERHEAD, type Part, toBlock } from './sections.ts';

/** An activated keyword or constant entry, highest `order` first. */
export interface EntryCandidate {
  id: string;
  label: string;
  content: string;
  constant: boolean;
  /** The key that fired it; empty for constant entries. */
  key: string;
  trigger: string;
}

export interface PromptInput {
  window: ContextWindow;
  baseRules: string;
  rules: readonly Rule[];
  worldId: string;
  worldName: string;
  worldPrompt: string;
  character: Character;
  /** The world's scene on the first turn; empty otherwise. */
  scene: string;
  summary?: { text: string; coversUpToMessageId: number };
  entries: readonly EntryCandidate[];
  /** Best first. */
  lore: readonly LoreChunk[];
  /** Best first. */
  memories: readonly MemoryRecord[];
  /** The messages before the one being answered, oldest first. */
  history: readonly MessageRecord[];
  userText: string;
  /** The session's author's note (`/note`), macros expanded; empty or absent when it has none. */
  note?: string;
  /** A cache of token counts (the engine's); counts, and so the prompt, are the same without it. */
  tokens?: TokenCounter;
}

export interface BuiltPrompt {
  messages: ChatMessage[];
  blocks: ManifestBlock[];
  leftOut: LeftOutBlock[];
  totalTokens: number;
  budgets: Record<string, number>;
}

/**
 * How many of the latest messages callers offer to assembly (`store.messages.recent`); the
 * budget keeps as many of them as fit, newest first.
 */
export const HISTORY_MESSAGES = 500;

export const USER_CUT_NOTE = "\n\n[The rest of this message was cut: it is longer than the model's context allows.]";
/** A block cut shorter than this is left out instead. */
const MIN_CUT_TOKENS = 16;

/** What of the session's history the narrator may see: player and narrator lines with text, not hidden ones. */
export const inPromptHistory = (message: MessageRecord): boolean =>
  message.role !== 'system' && message.content.trim() !== '' && !message.hidden;

export interface HistoryPick {
  message: MessageRecord;
  tokens: number;
}

export function buildPrompt(input: PromptInput): BuiltPrompt {
  const { inputBudget } = input.window;
  const counter = input.tokens ?? uncachedTokens;
  const leftOut: LeftOutBlock[] = [];
  const frame = REQUEST_OVERHEAD + 2 * MESSAGE_OVERHEAD + estimateTokens(CLOSING) + HEADINGS_RESERVE;

  const core = coreParts(input);
  const essential = core.filter((part) => part.kind === 'base_rules' || part.kind === 'character').reduce((sum, part) => sum + part.tokens, 0);
  const user = fitUserMessage(input.userText, Math.max(Math.floor(inputBudget / 2), inputBudget - frame - essential), counter);
  let room = inputBudget - frame - counter.count(user.text);

  const parts: Part[] = [];
  for (const part of core) {
    const kept = takeOrCut(part, room, part.kind !== 'rule');
    if (kept) {
      parts.push(kept);
      room -= kept.tokens;
    } else {
      leftOut.push(leftOutOf(part, 'context_full', `the stable part of the prompt already fills the ${inputBudget}-token input budget`));
    }
  }
  room = Math.max(0, room);
  // After the stable core, before history and the volatile sections.
  const noteShare = Math.floor(inputBudget * NOTE_SHARE);
  const note = input.note ? fitNote(input.note, Math.min(noteShare, room), noteShare, counter) : {};
  if (note.leftOut) leftOut.push(note.leftOut);
  room = Math.max(0, room - (note.part?.tokens ?? 0));

  const history = input.history.filter(inPromptHistory);
  const picked: HistoryPick[] = [];
  let next = history.length - 1;
  const sections = input.scene === '' ? 4 : 5;
  const floorRoom = room - sections * sectionMinimum(room);
  let floorUsed = 0;
  while (next >= 0 && picked.length < MIN_HISTORY_MESSAGES) {
    const message = history[next] as MessageRecord;
    const tokens = messageTokens(message.content, counter);
    if (floorUsed + tokens > floorRoom) break;
    picked.push({ message, tokens });
    floorUsed += tokens;
    next--;
  }
  const floorCount = picked.length;
  room -= floorUsed;

  const budgets = planSections(room, input.scene !== '');
  const inHistory = new Set(picked.map((pick) => pick.message.id));
  const volatile = volatileParts(input, budgets, inHistory, leftOut);
  parts.push(...volatile);
  room -= volatile.reduce((sum, part) => sum + part.tokens, 0);

  while (next >= 0) {
    const message = history[next] as MessageRecord;
    const tokens = messageTokens(message.content, counter);
    if (tokens > room) break;
    picked.push({ message, tokens });
    room -= tokens;
    next--;
  }
  const olderOut = history.slice(0, next + 1);
  if (olderOut.length > 0) leftOut.push(historyLeftOut(olderOut, input.summary?.coversUpToMessageId));

  const fitted = fitRequest({
    inputBudget,
    parts,
    history: picked.reverse(),
    floorCount,
    user: user.text,
    ...(note.part ? { note: note.part } : {}),
    leftOut,
    tokens: counter,
  });
  const blocks: ManifestBlock[] = [...fitted.systemBlocks, toBlock(makePart('closing', CLOSING, {}, CLOSING))];
  if (fitted.history.length > 0) blocks.push(historyBlock(fitted.history));
  if (fitted.note) blocks.push(toBlock(fitted.note));
  blocks.push({
    kind: 'user_message',
    label: 'Your message',
    source: {},
    tokens: messageTokens(user.text, counter),
    ...(user.truncated ? { truncated: true } : {}),
  });
  return {
    messages: fitted.messages,
    blocks,
    leftOut,
    totalTokens: fitted.totalTokens,
    budgets: { input: inputBudget, ...(input.note?.trim() ? { note: noteShare } : {}), ...budgets, history_floor: floorUsed },
  };
}

/** Base rules, the player character, the world's instructions, then each active rule: the order they are kept in. */
function coreParts(input: PromptInput): Part[] {
  const counter = input.tokens ?? uncachedTokens;
  const persona = input.character.persona.trim();
  const character = [`Name: ${input.character.name}`, persona === '' ? '' : `Persona: ${persona}`].filter((line) => line !== '').join('\n');
  const parts = [
    makePart('base_rules', 'Base rules', {}, input.baseRules, counter),
    makePart('character', input.character.name, { id: input.character.id }, character, counter),
    makePart('world_prompt', input.worldName, { id: input.worldId }, input.worldPrompt, counter),
    ...input.rules.map((rule) => makePart('rule', rule.name, { id: rule.id }, rule.prompt, counter)),
  ];
  return parts.filter((part) => part.text !== '');
}

function fitUserMessage(text: string, max: number, counter: TokenCounter): { text: string; truncated: boolean } {
  if (messageTokens(text, counter) <= max) return { text, truncated: false };
  const room = max - MESSAGE_OVERHEAD - estimateTokens(USER_CUT_NOTE);
  return { text: `${truncateToTokens(text, Math.max(1, room))}${USER_CUT_NOTE}`, truncated: true };
}

/** The part if it fits; cut to fit when `cut` allows and enough room is left; else nothing. */
function takeOrCut(part: Part, room: number, cut: boolean, keep: 'start' | 'end' = 'start'): Part | undefined {
  if (part.tokens <= room) return part;
  if (!cut || room - PART_OVERHEAD < MIN_CUT_TOKENS) return undefined;
  const text = truncateToTokens(part.text, room - PART_OVERHEAD, { keep });
  return { ...part, text, tokens: estimateTokens(text) + PART_OVERHEAD, truncated: true };
}

function volatileParts(input: PromptInput, budgets: SectionBudgets, inHistory: ReadonlySet<number>, leftOut: LeftOutBlock[]): Part[] {
  const counter = input.tokens ?? uncachedTokens;
  const parts: Part[] = [];
  const single = (part: Part, budget: number, name: string, keep: 'start' | 'end') => {
    if (part.text === '') return;
    const kept = takeOrCut(part, budget, true, keep);
    if (kept) parts.push(kept);
    else leftOut.push(leftOutOf(part, 'budget', `the ${name} budget is ${budget} tokens`));
  };
  single(makePart('scene', 'Scene', { id: input.worldId }, input.scene, counter), budgets.scene, 'scene', 'start');
  if (input.summary) {
    const source = { to_message_id: input.summary.coversUpToMessageId };
    single(makePart('summary', 'Story so far', source, input.summary.text, counter), budgets.summary, 'summary', 'end');
  }
  const entries = input.entries.map((entry) =>
    makePart(entry.constant ? 'constant_entry' : 'entry', entry.label, { id: entry.id, key: entry.key, trigger: entry.trigger }, entry.content, counter),
  );
  parts.push(...withinBudget(entries, budgets.entries, 'entries', leftOut));
  const lore = input.lore.map((chunk) => makePart('lore', labelFrom(chunk.text), { chunk_id: chunk.id }, chunk.text, counter));
  parts.push(...withinBudget(lore, budgets.lore, 'lore', leftOut));
  const memories: Part[] = [];
  for (const memory of input.memories) {
    const part = makePart('memory', labelFrom(memory.text), { memory_id: memory.id }, memory.text, counter);
    const covered = memory.messageIds.length > 0 && memory.messageIds.every((id) => inHistory.has(id));
    if (covered) leftOut.push(leftOutOf(part, 'in_history', 'its messages are in the recent history already'));
    else memories.push(part);
  }
  parts.push(...withinBudget(memories, budgets.memories, 'memories', leftOut));
  return parts;
}

/** Whole parts in the given order while they fit; the rest are left out naming the budget. */
function withinBudget(parts: readonly Part[], budget: number, name: string, leftOut: LeftOutBlock[]): Part[] {
  const kept: Part[] = [];
  let used = 0;
  for (const part of parts) {
    if (part.text === '') continue;
    if (used + part.tokens <= budget) {
      kept.push(part);
      used += part.tokens;
      continue;
    }
    leftOut.push(leftOutOf(part, 'budget', `the ${name} budget is ${budget} tokens and ${used} were used by higher-ranked ${name}`));
  }
  return kept;
}

export function leftOutOf(part: Part, reason: LeftOutReason, detail: string): LeftOutBlock {
  return { kind: part.kind, label: part.label, source: part.source, tokens: part.tokens, reason, detail };
}

function historyBlock(history: readonly HistoryPick[]): ManifestBlock {
  const first = history[0] as HistoryPick;
  const last = history.at(-1) as HistoryPick;
  return {
    kind: 'history',
    label: `${history.length} recent message${history.length === 1 ? '' : 's'}`,
    source: { from_message_id: first.message.id, to_message_id: last.message.id, message_count: history.length },
    tokens: history.reduce((sum, pick) => sum + pick.tokens, 0),
  };
}

/** Older messages outside the window, counted roughly (about four characters a token) to stay fast on long sessions. */
function historyLeftOut(older: readonly MessageRecord[], summaryCovers: number | undefined): LeftOutBlock {
  const first = older[0] as MessageRecord;
  const last = older.at(-1) as MessageRecord;
  const chars = older.reduce((sum, message) => sum + message.content.length, 0);
  const covered = summaryCovers === undefined ? 'no summary covers them yet' : `the summary covers up to message ${summaryCovers}`;
  return {
    kind: 'history',
    label: `${older.length} older message${older.length === 1 ? '' : 's'}`,
    source: { from_message_id: first.id, to_message_id: last.id, message_count: older.length },
    tokens: Math.ceil(chars / 4) + older.length * MESSAGE_OVERHEAD,
    reason: 'budget',
    detail: `outside the history window (about ${Math.ceil(chars / 4)} tokens); ${covered}`,
  };
}
