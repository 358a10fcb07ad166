import type { ModelItem, NamedItem } from '../../protocol/index.ts';
import type { ViewState } from './types.ts';

export interface ScrollView {
  /** Lines up from the bottom to show now. */
  offset: number;
  newBelow: boolean;
}

/**
 * Where the chat view is, given the transcript's current line count. While scrolled up, the
 * offset grows with the lines added since the player scrolled, so the text being read stays
 * put; at 0 the view follows the stream.
 */
export function scrollView(state: ViewState, total: number, maxOffset: number, width: number): ScrollView {
  const { scrollOffset, scrollAnchor, scrollAnchorWidth, unseenBelow } = state.ui;
  if (scrollOffset <= 0) return { offset: 0, newBelow: false };
  const added = width === scrollAnchorWidth ? Math.max(0, total - scrollAnchor) : 0;
  return { offset: Math.min(scrollOffset + added, Math.max(0, maxOffset)), newBelow: unseenBelow || added > 0 };
}

export function currentModel(state: ViewState): ModelItem | undefined {
  return state.lists.models.find((m) => m.id === state.stage.model);
}

/** `openrouter/anthropic/claude-3.5-sonnet` → `claude-3.5-sonnet`. */
export function shortModelName(id: string): string {
  const last = id.split('/').pop() ?? id;
  return last || id;
}

export function nameOf(list: NamedItem[], id: string): string {
  return list.find((item) => item.id === id)?.name ?? id;
}

export function isReplyRunning(state: ViewState): boolean {
  return state.stream.phase !== 'idle';
}

const streamingTokens = (state: ViewState): number => (state.stream.phase === 'streaming' ? state.stream.tokens : 0);

/** Tokens of the session this UI has seen, counting the reply being streamed. */
export function sessionTokens(state: ViewState): number {
  return state.usage.seen + streamingTokens(state);
}

/** Estimated USD: tokens × the model's completion price per million; null when the price is unknown. */
export function estimatedCost(state: ViewState): number | null {
  const model = currentModel(state);
  if (!model) return state.usage.baseCost > 0 ? state.usage.baseCost : null;
  return state.usage.baseCost + ((state.usage.tokens + streamingTokens(state)) * model.completion_price) / 1e6;
}

export function formatCost(usd: number | null): string {
  if (usd === null) return '$—';
  if (usd === 0) return '$0.00';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** Elapsed time of the current reply, or of the last one once it ended. */
export function elapsedMs(state: ViewState, now: number): number {
  const { startedAt, endedAt, phase } = state.stream;
  if (startedAt === null) return 0;
  const end = phase === 'idle' ? (endedAt ?? startedAt) : now;
  return Math.max(0, end - startedAt);
}

export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes > 0 ? `${minutes}m${String(seconds).padStart(2, '0')}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** USD per million tokens, compact: 0.5 → `$0.50`, 15 → `$15`. */
export function formatPrice(perMillion: number): string {
  return perMillion >= 10 || Number.isInteger(perMillion) ? `$${perMillion}` : `$${perMillion.toFixed(2)}`;
}

export function lastNarratorReply(state: ViewState): string | undefined {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const message = state.messages[i];
    if (message?.kind === 'narrator' && message.text !== '') return message.text;
  }
  return undefined;
}

export interface ChecklistItem {
  label: 'World' | 'Character' | 'Model' | 'Session';
  done: boolean;
  /** What is chosen, when done. */
  value: string;
  /** What to type (or, when `typeable` is false, what to do), when not done. */
  hint: string;
  typeable: boolean;
}

export function configHint(state: ViewState): string {
  const where = state.configPath ? state.configPath : 'your config file';
  return `No model available: add a provider to ${where} (see README 'Providers'), then restart Flower.`;
}

/** The "prepare the stage" checklist shown before a session starts. */
export function checklist(state: ViewState): ChecklistItem[] {
  const { stage, lists } = state;
  const model = currentModel(state);
  // Before the engine has answered, no models is not yet a missing config.
  const modelHint = !state.synced ? 'waiting for the engine…' : lists.models.length === 0 ? configHint(state) : '/model <id>';
  return [
    { label: 'World', done: stage.worldId !== '', value: nameOf(lists.worlds, stage.worldId), hint: '/world select <id>', typeable: true },
    { label: 'Character', done: stage.characterId !== '', value: nameOf(lists.characters, stage.characterId), hint: '/character select <id>', typeable: true },
    { label: 'Model', done: stage.model !== '' && stage.modelConfirmed, value: model?.name ?? stage.model, hint: modelHint, typeable: lists.models.length > 0 },
    { label: 'Session', done: stage.sessionId !== '', value: stage.sessionId, hint: lists.sessions.length > 0 ? '/session new  or  /session continue <id>' : '/session new', typeable: true },
  ];
}

/** With `now`, a retry's countdown runs down to "trying now" instead of standing still. */
export function connectionLabel(state: ViewState, now?: number): string {
  const c = state.connection;
  if (c.state === 'open') return 'connected';
  if (c.state === 'connecting') return 'connecting…';
  if (c.state === 'closed') return 'disconnected';
  const left = now === undefined ? c.retryInMs : state.connectionSince + c.retryInMs - now;
  return left > 0 ? `reconnecting (attempt ${c.attempt}, next in ${Math.ceil(left / 1000)}s)` : `reconnecting (attempt ${c.attempt + 1}, trying now)`;
}
