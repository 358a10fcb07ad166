/** The full-state and history events, built from the profile, the content and the store. */
import type { CommandSpec, HistoryEntry, ModelItem, NamedItem, ServerEvent } from '../protocol/index.ts';
import type { Command } from './commands/command.ts';
import { chatHistoryEvent, syncStateEvent } from './events.ts';
import { visibleMessages } from './history/numbering.ts';
import { swipeInfo } from './history/swipes.ts';
import type { MessageRecord, ModelInfo, SessionRecord, Store } from './ports.ts';
import type { Profile } from './profile.ts';
import type { Runtime } from './runtime.ts';

export const RECENT_SESSIONS = 15;
const SESSION_TITLE_CHARS = 30;

export function buildSyncState(rt: Runtime, profile: Profile): ServerEvent {
  const content = rt.content();
  const state = profile.state;
  const sessions = rt.deps.store.sessions.listRecent(profile.id, RECENT_SESSIONS);
  const named = (items: Iterable<{ id: string; name: string }>): NamedItem[] =>
    [...items].map(({ id, name }) => ({ id, name }));
  return syncStateEvent({
    model: effectiveModel(rt, profile),
    model_confirmed: state.modelConfirmed,
    world_id: state.worldId,
    character_id: state.characterId,
    session_id: state.sessionId,
    available_worlds: named(content.worlds.values()),
    available_characters: named(content.characters.values()),
    available_models: rt.deps.models.listModels().map(toModelItem),
    available_rules: named(content.rules.values()),
    active_rules: [...state.activeRules],
    available_sessions: sessions.map(sessionItem),
    commands: rt.commands.map(toCommandSpec),
    session_parents: sessionParents(sessions),
    ...(state.sessionId ? { session_cost: sessionCost(rt, state.sessionId), session_note: rt.deps.store.sessions.note(state.sessionId) } : {}),
  });
}

/**
 * The session's estimated cost in USD: each model's reply tokens times its completion price
 * (USD per million tokens), as the original UI estimated it. Prompt tokens are not counted.
 */
export function sessionCost(rt: Runtime, sessionId: string): number {
  const prices = new Map(rt.deps.models.listModels().map((model) => [model.id, finiteOrZero(model.completionPrice)]));
  const usd = rt.deps.store.messages
    .tokensByModel(sessionId)
    .reduce((sum, { model, tokens }) => sum + (tokens * (prices.get(model) ?? 0)) / 1_000_000, 0);
  return Math.round(usd * 1e6) / 1e6;
}

/** The model a turn would use: the profile's choice, else the configured default. */
export function effectiveModel(rt: Runtime, profile: Profile): string {
  return profile.state.model || (rt.deps.models.defaultModel() ?? '');
}

export function sessionItem(session: SessionRecord): NamedItem {
  const title = Array.from(session.title).slice(0, SESSION_TITLE_CHARS).join('');
  return { id: session.id, name: `[${session.worldId}] ${session.characterId}: ${title}` };
}

export function toModelItem(model: ModelInfo): ModelItem {
  const item: ModelItem = {
    id: model.id,
    name: model.name,
    prompt_price: finiteOrZero(model.promptPrice),
    completion_price: finiteOrZero(model.completionPrice),
    provider: model.provider,
  };
  // A known key never carries null/undefined: leave it out instead.
  if (model.contextLength !== undefined && Number.isInteger(model.contextLength) && model.contextLength > 0) {
    item.context_length = model.contextLength;
  }
  return item;
}

export function toCommandSpec(command: Command): CommandSpec {
  return {
    name: command.name,
    usage: command.usage,
    description: command.description,
    completion: command.completion,
    takes_argument: command.takesArgument,
    ...(command.optionalArgument ? { optional_argument: true } : {}),
  };
}

function sessionParents(sessions: SessionRecord[]): Record<string, string> {
  const parents: Record<string, string> = {};
  for (const session of sessions) if (session.parentId) parents[session.id] = session.parentId;
  return parents;
}

const finiteOrZero = (value: number): number => (Number.isFinite(value) && value >= 0 ? value : 0);

/**
 * The session's story as the client shows it, oldest first: every visible message with its
 * number (history/numbering.ts), whether it is hidden from the narrator (`/hide`) and, for a
 * reply with alternatives, which one is chosen. A reply still streaming is left out; the client
 * gets it from `ActiveReply.catchUp` and the chunks.
 */
export function buildChatHistory(store: Store, sessionId: string): ServerEvent {
  const swipes = store.swipes?.positionsBySession(sessionId) ?? new Map<number, number[]>();
  const visible = visibleMessages(store, sessionId);
  const withReasoning = newestWithReasoning(visible.map(({ message }) => message));
  const history: HistoryEntry[] = visible.map(({ n, message }) => {
    const entry: HistoryEntry = { role: message.role, content: message.content, id: message.id, n };
    if (withReasoning.has(message.id)) entry.reasoning = message.reasoning;
    if (message.hidden) entry.hidden = true;
    const parked = swipes.get(message.id);
    if (parked) {
      const { index, count } = swipeInfo(parked);
      entry.swipe_index = index;
      entry.swipe_count = count;
    }
    return entry;
  });
  return chatHistoryEvent(history);
}

/** Thinking can be long: the history carries it for the newest replies only, to stay small. */
export const HISTORY_REASONING_REPLIES = 20;

function newestWithReasoning(messages: readonly MessageRecord[]): Set<number> {
  const ids = new Set<number>();
  for (let i = messages.length - 1; i >= 0 && ids.size < HISTORY_REASONING_REPLIES; i--) {
    const message = messages[i];
    if (message?.reasoning) ids.add(message.id);
  }
  return ids;
}
