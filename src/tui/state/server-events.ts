import type {
  AnyServerEvent,
  ChatChunkMetadata,
  ChatEndMetadata,
  ChatHistoryMetadata,
  HistoryEntry,
  SyncStateMetadata,
  SystemUpdateMetadata,
} from '../../protocol/index.ts';
import { ContextManifest } from '../../protocol/index.ts';
import type { ChatMessageView } from '../chat/types.ts';
import { withClientCommands } from '../commands.ts';
import type { ViewState } from './types.ts';
import { sessionTree } from './session-tree.ts';

export const RECONNECTED = '✓ Reconnected to the engine.';

/** How many system notices are kept (the checklist shows the last two). */
export const NOTICE_LIMIT = 10;

export function pushMessage(state: ViewState, kind: ChatMessageView['kind'], text: string, extra: Partial<ChatMessageView> = {}): ViewState {
  const n = kind === 'user' || kind === 'narrator' ? nextNumber(state.messages) : undefined;
  const message: ChatMessageView = { id: `m${state.nextId}`, kind, text, ...(n !== undefined && { n }), ...extra };
  return { ...state, messages: [...state.messages, message], nextId: state.nextId + 1 };
}

/**
 * The engine numbers stored messages (chat_history's `n`); a move or reply that arrives after the
 * last history is the next number. Local notices are not stored and get none.
 */
function nextNumber(messages: readonly ChatMessageView[]): number | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const n = messages[i]?.n;
    if (n !== undefined) return n + 1;
  }
  return undefined;
}

export function pushNotice(state: ViewState, text: string): ViewState {
  return { ...state, notices: [...state.notices, text].slice(-NOTICE_LIMIT) };
}

function isFailure(text: string): boolean {
  return text.trimStart().startsWith('✗');
}

function kindOfRole(role: string): ChatMessageView['kind'] {
  if (role === 'user') return 'user';
  if (role === 'assistant') return 'narrator';
  return 'system';
}

function onSystemUpdate(state: ViewState, content: string, meta: SystemUpdateMetadata): ViewState {
  const stage = {
    ...state.stage,
    ...(meta.model !== undefined && { model: meta.model }),
    ...(meta.model_confirmed !== undefined && { modelConfirmed: meta.model_confirmed }),
    ...(meta.world_id !== undefined && { worldId: meta.world_id }),
    ...(meta.character_id !== undefined && { characterId: meta.character_id }),
    ...(meta.session_id !== undefined && { sessionId: meta.session_id }),
    ...(meta.active_rules !== undefined && { activeRules: meta.active_rules }),
    ...(meta.status !== undefined && { status: meta.status }),
  };
  // A refused turn (e.g. "✗ Prepare the stage first") gets no chat_end: unlock the input.
  const refused = state.stream.phase === 'waiting' && isFailure(content);
  const stream = refused ? { ...state.stream, phase: 'idle' as const, endedAt: state.stream.startedAt } : state.stream;
  const next = pushNotice({ ...state, stage, stream, usage: usageFor(state, stage.sessionId) }, content);
  const manifest = meta.context_manifest === undefined ? undefined : ContextManifest.safeParse(meta.context_manifest);
  // A `/context` answer opens the inspector, which shows it in full: the transcript is not
  // given a copy each time Ctrl+O is pressed.
  if (manifest?.success) return { ...next, contextManifest: manifest.data, ui: { ...next.ui, inspectorOpen: true, inspectorOffset: 0 } };
  // The engine's greeting (handshake, status ok) right after "Reconnected" says the same again.
  if (meta.status === 'ok' && state.messages[state.messages.length - 1]?.text === RECONNECTED) return next;
  return pushMessage(next, 'system', content);
}

/** Another session's tokens are not this one's: the count starts again when the session changes. */
function usageFor(state: ViewState, sessionId: string): ViewState['usage'] {
  return sessionId === state.stage.sessionId ? state.usage : { ...state.usage, seen: 0 };
}

function onSyncState(state: ViewState, meta: SyncStateMetadata): ViewState {
  const usage = usageFor(state, meta.session_id);
  const configPath = typeof meta.config_path === 'string' ? meta.config_path : state.configPath;
  const wantsHistory = state.resyncArmed && meta.session_id !== '';
  return {
    ...state,
    stage: {
      ...state.stage,
      model: meta.model,
      modelConfirmed: meta.model_confirmed,
      worldId: meta.world_id,
      characterId: meta.character_id,
      sessionId: meta.session_id,
      activeRules: meta.active_rules,
    },
    lists: {
      worlds: meta.available_worlds,
      characters: meta.available_characters,
      models: meta.available_models,
      rules: meta.available_rules,
      sessions: sessionTree(meta.available_sessions, meta.session_parents),
    },
    ...(meta.commands && { commands: withClientCommands(meta.commands), commandsFromEngine: true }),
    usage: meta.session_cost !== undefined ? { ...usage, tokens: 0, baseCost: meta.session_cost } : usage,
    configPath,
    synced: true,
    resyncing: state.resyncing === 'answered' ? 'no' : state.resyncing,
    resyncArmed: false,
    resync: wantsHistory ? `/session continue ${meta.session_id}` : state.resync,
  };
}

/**
 * The notices and errors after the last story message. They are this UI's own (the engine does
 * not store them), so reloading the same session after a reconnect must not wipe them: the
 * player would never see why the reply stopped, or that the link came back.
 */
function localTail(messages: readonly ChatMessageView[]): ChatMessageView[] {
  let from = messages.length;
  while (from > 0 && (messages[from - 1]?.kind === 'system' || messages[from - 1]?.kind === 'error')) from--;
  // Nothing of the story shown yet (the first connect): the notices are the engine's greeting.
  return from === 0 ? [] : messages.slice(from);
}

function onChatHistory(state: ViewState, meta: ChatHistoryMetadata): ViewState {
  const history = meta.history.map((entry: HistoryEntry, i): ChatMessageView => ({
    id: `m${state.nextId + i}`,
    kind: kindOfRole(entry.role),
    text: entry.content,
    // Additive keys of newer engines: which of several alternative replies is shown.
    ...(entry.swipe_count !== undefined && entry.swipe_count > 1 && { swipe: { index: entry.swipe_index ?? 0, count: entry.swipe_count } }),
    ...(entry.n !== undefined && { n: entry.n }),
    ...(entry.reasoning && { reasoning: entry.reasoning }),
    ...(entry.hidden === true && { hidden: true }),
  }));
  // The reload asked for after a reconnect, or the one the engine sent with its handshake first.
  const reloading = state.resyncing !== 'no' || state.resync !== null;
  const messages = reloading ? [...history, ...localTail(state.messages)] : history;
  return {
    ...state,
    messages,
    resync: null,
    resyncing: state.resyncing !== 'no' ? 'answered' : 'no',
    nextId: state.nextId + history.length,
    stream: { ...state.stream, phase: 'idle' },
    usage: { ...state.usage, tokens: 0 },
    ui: { ...state.ui, scrollOffset: 0, unseenBelow: false },
  };
}

function onChatChunk(state: ViewState, content: string, meta: ChatChunkMetadata, at: number): ViewState {
  const startedAt = state.stream.phase === 'idle' ? at : (state.stream.startedAt ?? at);
  const tokens = (state.stream.phase === 'streaming' ? state.stream.tokens : 0) + 1;
  const seconds = (at - startedAt) / 1000;
  const tokensPerSecond = meta.tokens_per_second ?? (seconds > 0 ? tokens / seconds : 0);
  const last = state.messages[state.messages.length - 1];
  const appending = last?.kind === 'narrator' && last.streaming === true;
  const withText = appending
    ? { ...state, messages: [...state.messages.slice(0, -1), { ...last, text: last.text + content }] }
    : pushMessage(state, 'narrator', content, { streaming: true });
  return {
    ...withText,
    stage: meta.model ? { ...state.stage, model: meta.model } : state.stage,
    stream: { phase: 'streaming', tokens, tokensPerSecond, startedAt, endedAt: null },
  };
}

/**
 * A reasoning model's thinking (additive `reasoning_chunk`): kept on the streaming narrator
 * message, apart from its text, and started as that message when thinking comes first. The
 * reply is under way, so the input stays locked until `chat_end` even after a reconnect.
 */
function onReasoningChunk(state: ViewState, content: string, meta: Record<string, unknown>, at: number): ViewState {
  if (content === '') return state;
  const last = state.messages[state.messages.length - 1];
  const appending = last?.kind === 'narrator' && last.streaming === true;
  const withReasoning = appending
    ? { ...state, messages: [...state.messages.slice(0, -1), { ...last, reasoning: (last.reasoning ?? '') + content }] }
    : pushMessage(state, 'narrator', '', { streaming: true, reasoning: content });
  const idle = state.stream.phase === 'idle';
  const model = typeof meta['model'] === 'string' && meta['model'] !== '' ? meta['model'] : null;
  return {
    ...withReasoning,
    stage: model ? { ...state.stage, model } : state.stage,
    stream: { ...state.stream, phase: 'streaming', tokens: idle ? 0 : state.stream.tokens, startedAt: idle ? at : (state.stream.startedAt ?? at), endedAt: null },
  };
}

/** Marks the streaming narrator message finished; used by chat_end and by a lost connection. */
export function finishStream(state: ViewState, at: number): ViewState {
  const messages = state.messages.map((m) => (m.streaming ? { ...m, streaming: false } : m));
  return { ...state, messages, stream: { ...state.stream, phase: 'idle', endedAt: at } };
}

function onChatEnd(state: ViewState, meta: ChatEndMetadata, at: number): ViewState {
  const tokens = meta.total_tokens > 0 ? meta.total_tokens : state.stream.tokens;
  const ended = finishStream(state, at);
  return {
    ...ended,
    stream: { ...ended.stream, tokens },
    usage: { ...state.usage, tokens: state.usage.tokens + tokens, seen: state.usage.seen + tokens },
  };
}

function onError(state: ViewState, content: string): ViewState {
  const unlocked = state.stream.phase === 'waiting' ? { ...state, stream: { ...state.stream, phase: 'idle' as const } } : state;
  return pushMessage(unlocked, 'error', content || 'The engine reported an error without a message.');
}

type Handler = (state: ViewState, event: AnyServerEvent, at: number) => ViewState;

/** One handler per protocol event; events this client does not know are ignored. */
const handlers: Record<string, Handler> = {
  system_update: (s, e) => onSystemUpdate(s, e.content, e.metadata as SystemUpdateMetadata),
  sync_state: (s, e) => onSyncState(s, e.metadata as SyncStateMetadata),
  chat_history: (s, e) => onChatHistory(s, e.metadata as ChatHistoryMetadata),
  chat_chunk: (s, e, at) => onChatChunk(s, e.content, e.metadata as ChatChunkMetadata, at),
  reasoning_chunk: (s, e, at) => onReasoningChunk(s, e.content, e.metadata, at),
  chat_end: (s, e, at) => onChatEnd(s, e.metadata as ChatEndMetadata, at),
  error: (s, e) => onError(s, e.content),
  embedding_progress: (s, e) => onEmbeddingProgress(s, e.content, e.metadata),
};

/** Shown in the status line while the engine embeds in the background; gone when it is done. */
function onEmbeddingProgress(state: ViewState, content: string, meta: Record<string, unknown>): ViewState {
  const done = typeof meta['done'] === 'number' ? meta['done'] : 0;
  const total = typeof meta['total'] === 'number' ? meta['total'] : 0;
  return { ...state, embedding: total > 0 && done < total ? { text: content, done, total } : null };
}

export function applyServerEvent(state: ViewState, event: AnyServerEvent, at: number): ViewState {
  const handler = handlers[event.event];
  return handler ? handler(state, event, at) : state;
}
