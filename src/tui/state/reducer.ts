import { fallbackEngineCommands, withClientCommands } from '../commands.ts';
import { applyEdit, draftOf, emptyDraft } from '../input/editor.ts';
import { applyServerEvent, finishStream, pushMessage, pushNotice, RECONNECTED } from './server-events.ts';
import { scrollView } from './selectors.ts';
import type { Action, ConnectionStatus, ViewState } from './types.ts';

export function initialViewState(): ViewState {
  return {
    connection: { state: 'connecting', attempt: 1 },
    connectionSince: 0,
    everConnected: false,
    synced: false,
    stage: { worldId: '', characterId: '', model: '', modelConfirmed: false, sessionId: '', activeRules: [], status: '' },
    lists: { worlds: [], characters: [], models: [], rules: [], sessions: [] },
    commands: withClientCommands(fallbackEngineCommands),
    commandsFromEngine: false,
    messages: [],
    nextId: 1,
    notices: [],
    stream: { phase: 'idle', tokens: 0, tokensPerSecond: 0, startedAt: null, endedAt: null },
    usage: { tokens: 0, baseCost: 0, seen: 0 },
    badFrames: 0,
    lastBadFrame: null,
    embedding: null,
    draft: emptyDraft,
    history: { entries: [], index: null, saved: '' },
    ui: { helpOpen: false, paletteIndex: 0, paletteDismissedFor: null, scrollOffset: 0, scrollAnchor: 0, scrollAnchorWidth: 0, unseenBelow: false, confirmQuit: false, flash: null, helpOffset: 0, inspectorOpen: false, inspectorOffset: 0, reasoningExpanded: false },
    resyncArmed: false,
    resync: null,
    resyncing: 'no',
    configPath: null,
    contextManifest: null,
  };
}

const HISTORY_LIMIT = 200;

function onConnection(state: ViewState, status: ConnectionStatus, at: number): ViewState {
  if (status.state === 'open') {
    const next = { ...state, connection: status, connectionSince: at, everConnected: true, resyncArmed: true };
    return state.everConnected ? pushMessage(next, 'system', RECONNECTED) : next;
  }
  const next = { ...state, connection: status, connectionSince: at };
  if (state.stream.phase === 'idle') return next;
  // The engine keeps streaming to the profile and stores the reply; the resync after
  // reconnecting brings it back.
  return pushMessage(finishStream(next, at), 'system', '✗ Lost the engine while it was narrating; the reply is kept there and shows again on reconnect.');
}

function onSubmitted(state: ViewState, text: string, kind: 'story' | 'command', at: number): ViewState {
  const entries = state.history.entries[state.history.entries.length - 1] === text ? state.history.entries : [...state.history.entries, text].slice(-HISTORY_LIMIT);
  const cleared: ViewState = {
    ...state,
    draft: emptyDraft,
    history: { entries, index: null, saved: '' },
    ui: { ...state.ui, paletteIndex: 0, paletteDismissedFor: null, confirmQuit: false, scrollOffset: 0, unseenBelow: false },
  };
  if (kind === 'command') return cleared;
  return {
    ...pushMessage(cleared, 'user', text),
    stream: { phase: 'waiting', tokens: 0, tokensPerSecond: 0, startedAt: at, endedAt: null },
  };
}

function onHistory(state: ViewState, direction: -1 | 1): ViewState {
  const { entries, index, saved } = state.history;
  if (entries.length === 0) return state;
  if (direction === -1) {
    const nextIndex = index === null ? entries.length - 1 : Math.max(0, index - 1);
    const keep = index === null ? state.draft.text : saved;
    return { ...state, history: { entries, index: nextIndex, saved: keep }, draft: draftOf(entries[nextIndex] ?? '') };
  }
  if (index === null) return state;
  if (index + 1 >= entries.length) return { ...state, history: { entries, index: null, saved: '' }, draft: draftOf(saved) };
  return { ...state, history: { entries, index: index + 1, saved }, draft: draftOf(entries[index + 1] ?? '') };
}

function setScroll(state: ViewState, offset: number, total: number, width: number, unseenBelow: boolean): ViewState {
  const ui = { ...state.ui, scrollOffset: offset, scrollAnchor: total, scrollAnchorWidth: width, unseenBelow: offset > 0 && unseenBelow };
  return { ...state, ui };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

type Handlers = { [K in Action['type']]: (state: ViewState, action: Extract<Action, { type: K }>) => ViewState };

const handlers: Handlers = {
  server: (s, a) => applyServerEvent(s, a.event, a.at),
  connection: (s, a) => onConnection(s, a.status, a.at),
  bad_frame: (s, a) => ({ ...s, badFrames: s.badFrames + 1, lastBadFrame: a.error }),
  submitted: (s, a) => onSubmitted(s, a.text, a.kind, a.at),
  send_failed: (s) => {
    const text = '✗ Not connected to the engine, so nothing was sent. Your text is still in the input; press Enter again once connected.';
    return pushMessage(pushNotice(s, text), 'error', text);
  },
  edit: (s, a) => {
    const draft = applyEdit(s.draft, a.op);
    if (draft.text === s.draft.text) return { ...s, draft };
    return { ...s, draft, history: { ...s.history, index: null }, ui: { ...s.ui, paletteIndex: 0, confirmQuit: false } };
  },
  set_draft: (s, a) => ({ ...s, draft: draftOf(a.text), ui: { ...s.ui, paletteIndex: 0 } }),
  history: (s, a) => onHistory(s, a.direction),
  palette_move: (s, a) => {
    if (a.count <= 0) return s;
    const paletteIndex = (((s.ui.paletteIndex + a.delta) % a.count) + a.count) % a.count;
    return { ...s, ui: { ...s.ui, paletteIndex } };
  },
  palette_dismiss: (s) => ({ ...s, ui: { ...s.ui, paletteDismissedFor: s.draft.text, paletteIndex: 0 } }),
  help: (s, a) => ({ ...s, ui: { ...s.ui, helpOpen: a.open, helpOffset: 0 } }),
  scroll: (s, a) => {
    const view = scrollView(s, a.total, a.maxOffset, a.width);
    return setScroll(s, clamp(view.offset + a.delta, 0, a.maxOffset), a.total, a.width, view.newBelow);
  },
  scroll_to: (s, a) => setScroll(s, Math.max(0, a.offset), a.total, a.width, scrollView(s, a.total, a.offset, a.width).newBelow),
  resync_sent: (s) => ({ ...s, resync: null, resyncing: 'asked' }),
  confirm_quit: (s, a) => ({ ...s, ui: { ...s.ui, confirmQuit: a.armed } }),
  local_message: (s, a) => pushMessage(pushNotice(s, a.text), a.kind, a.text),
  flash: (s, a) => ({ ...s, ui: { ...s.ui, flash: a.text } }),
  help_scroll: (s, a) => ({ ...s, ui: { ...s.ui, helpOffset: clamp(s.ui.helpOffset + a.delta, 0, a.maxOffset) } }),
  inspector: (s, a) => ({ ...s, ui: { ...s.ui, inspectorOpen: a.open, inspectorOffset: 0 } }),
  inspector_scroll: (s, a) => ({ ...s, ui: { ...s.ui, inspectorOffset: clamp(s.ui.inspectorOffset + a.delta, 0, a.maxOffset) } }),
  reasoning: (s, a) => ({ ...s, ui: { ...s.ui, reasoningExpanded: a.expanded } }),
};

/** Pure: events from the engine, the connection and the player in, view state out. */
export function reduce(state: ViewState, action: Action): ViewState {
  const handler = handlers[action.type] as (s: ViewState, a: Action) => ViewState;
  return handler(state, action);
}
