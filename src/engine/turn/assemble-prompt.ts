/**
 * Builds the messages for answering a user message, and the manifest of what went into them.
 * Shared by story turns and the commands that answer again without a new user message
 * (/regenerate, /continue). Reads the store (retrieval, summary), records the manifest as the
 * session's last (what `/context` shows), and never writes messages.
 */
import type { ContextManifest } from '../../protocol/index.ts';
import type { Rule, World } from '../content.ts';
import { type ContextWindow, contextWindow } from '../context/budget.ts';
import { activateEntries } from '../lorebook/index.ts';
import { expandMacros, type MacroContext } from '../macros/expand.ts';
import type { ChatMessage, LoreChunk, MemoryRecord, MessageRecord, Scored } from '../ports.ts';
import type { Profile } from '../profile.ts';
import { buildPrompt, type EntryCandidate } from '../prompt/build-prompt.ts';
import type { Runtime } from '../runtime.ts';
import type { TokenCounter } from '../tokens.ts';
import { retrieve } from './retrieve.ts';
import type { Stage } from './stage.ts';

export interface AssembleInput {
  /** Messages before the one being answered, oldest first. */
  history: MessageRecord[];
  userText: string;
  firstTurn: boolean;
  /** Counts for this turn (turn-tokens.ts); the engine's cache when absent. */
  tokens?: TokenCounter;
  /** Lore and memories found ahead (hybrid search is async); BM25 here when absent. */
  retrieved?: { lore: Scored<LoreChunk>[]; memories: Scored<MemoryRecord>[] };
}

export interface AssembledPrompt {
  messages: ChatMessage[];
  manifest: ContextManifest;
}

/** Scanned for entry keys: entries scan at most this many recent messages. */
export const ENTRY_SCAN_MESSAGES = 50;

export function assemblePrompt(rt: Runtime, profile: Profile, stage: Stage, input: AssembleInput): AssembledPrompt {
  const { store, logger, clock, random } = rt.deps;
  const { world, character, session, modelId } = stage;
  const content = rt.content();
  const macros: MacroContext = { char: world.narratorName || world.name, user: character.name, random };
  const expand = (text: string) => expandMacros(text, macros);

  const window = turnWindow(rt, modelId);
  const retrieved = input.retrieved ?? retrieve(store, logger, world.id, session.id, input.userText);
  const rules = profile.state.activeRules
    .map((id) => content.rules.get(id))
    .filter((rule): rule is Rule => rule !== undefined)
    .map((rule) => ({ ...rule, prompt: expand(rule.prompt) }));
  const summary = readSummary(rt, session.id);
  const note = readNote(rt, session.id);

  const built = buildPrompt({
    window,
    baseRules: expand(content.systemRules),
    rules,
    worldId: world.id,
    worldName: world.name,
    worldPrompt: expand(world.systemPrompt),
    character,
    scene: input.firstTurn ? expand(world.scene) : '',
    ...(summary ? { summary } : {}),
    entries: activeEntries(world, input, expand, logger),
    lore: retrieved.lore.map((hit) => ({ ...hit.item, text: expand(hit.item.text) })),
    memories: retrieved.memories.map((hit) => hit.item),
    history: input.history,
    userText: input.userText,
    ...(note ? { note: expand(note) } : {}),
    ...(input.tokens ? { tokens: input.tokens } : rt.tokens ? { tokens: rt.tokens } : {}),
  });
  const manifest: ContextManifest = {
    session_id: session.id,
    model: modelId,
    created_at: clock.now(),
    context_length: window.contextLength,
    reply_budget: window.replyBudget,
    input_budget: window.inputBudget,
    total_tokens: built.totalTokens,
    budgets: built.budgets,
    blocks: built.blocks,
    left_out: built.leftOut,
  };
  try {
    store.manifests.save(manifest);
  } catch (error) {
    logger.warn('saving the context manifest failed', { session: session.id, error: String(error) });
  }
  return { messages: built.messages, manifest };
}

/** The context window a turn with `modelId` is assembled against. */
export function turnWindow(rt: Runtime, modelId: string): ContextWindow {
  return contextWindow(
    rt.deps.models.listModels().find((model) => model.id === modelId),
    rt.promptOptions ?? {},
  );
}

function readSummary(rt: Runtime, sessionId: string): { text: string; coversUpToMessageId: number } | undefined {
  try {
    const summary = rt.deps.store.summaries.get(sessionId);
    if (!summary || summary.text.trim() === '') return undefined;
    return { text: summary.text, coversUpToMessageId: summary.coversUpToMessageId };
  } catch (error) {
    rt.deps.logger.warn('reading the session summary failed', { session: sessionId, error: String(error) });
    return undefined;
  }
}

function readNote(rt: Runtime, sessionId: string): string {
  try {
    return rt.deps.store.sessions.note(sessionId).trim();
  } catch (error) {
    rt.deps.logger.warn("reading the session's author's note failed", { session: sessionId, error: String(error) });
    return '';
  }
}

function activeEntries(world: World, input: AssembleInput, expand: (text: string) => string, logger: Runtime['deps']['logger']): EntryCandidate[] {
  if (world.entries.length === 0) return [];
  // A message hidden from the narrator triggers no entry.
  const recent = input.history
    .filter((message) => message.role !== 'system' && message.content !== '' && !message.hidden)
    .slice(-ENTRY_SCAN_MESSAGES)
    .map((message) => message.content);
  const result = activateEntries({
    entries: world.entries.map((entry) => ({ ...entry, content: expand(entry.content) })),
    recentMessages: [...recent, input.userText],
    expandKey: expand,
  });
  for (const problem of result.problems) logger.warn('a lore entry key is not a valid regex', { world: world.id, entry: problem.entryId, key: problem.key, problem: problem.problem });
  return result.activated.map((activated) => ({
    id: activated.entry.id,
    label: activated.entry.comment.trim() || activated.entry.keys[0] || activated.entry.id,
    content: activated.content,
    constant: activated.trigger.source === 'constant',
    key: activated.trigger.key,
    trigger: activated.trigger.source,
  }));
}
