import type { AnyServerEvent, CommandSpec, ContextManifest, ModelItem, NamedItem } from '../../protocol/index.ts';
import type { ChatMessageView } from '../chat/types.ts';
import type { Draft, EditOp } from '../input/editor.ts';

export type ConnectionStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  | { state: 'reconnecting'; attempt: number; retryInMs: number; reason?: string }
  | { state: 'closed' };

export interface Stage {
  worldId: string;
  characterId: string;
  model: string;
  modelConfirmed: boolean;
  sessionId: string;
  activeRules: string[];
  /** Last `status` the engine reported (system_update metadata). */
  status: string;
}

export interface Lists {
  worlds: NamedItem[];
  characters: NamedItem[];
  models: ModelItem[];
  rules: NamedItem[];
  sessions: NamedItem[];
}

/** `waiting`: a story turn was sent and no chunk has come yet. */
export interface StreamState {
  phase: 'idle' | 'waiting' | 'streaming';
  /** Tokens of the current (or last) reply: chunks while streaming, the engine's count after. */
  tokens: number;
  tokensPerSecond: number;
  startedAt: number | null;
  endedAt: number | null;
}

export interface Usage {
  /** Tokens since `baseCost` was last set. */
  tokens: number;
  /**
   * Reply tokens this UI has seen in the active session, for the status line. Unlike `tokens`,
   * the engine's cost report does not reset it; opening another session does.
   */
  seen: number;
  /** Cost the engine reported for the session (sync_state `session_cost`), USD. */
  baseCost: number;
}

export interface InputHistory {
  entries: string[];
  /** Index into entries while browsing, null when editing a fresh draft. */
  index: number | null;
  /** The fresh draft put aside while browsing. */
  saved: string;
}

export interface UiState {
  helpOpen: boolean;
  paletteIndex: number;
  /** The draft text for which the player closed the list; it stays closed until the text changes. */
  paletteDismissedFor: string | null;
  /** Lines up from the bottom (0 = follow), measured when the transcript had `scrollAnchor` lines. */
  scrollOffset: number;
  scrollAnchor: number;
  /** Chat layout (width, reasoning open or shut) when anchored: a re-wrap after a resize is not new text. */
  scrollAnchorWidth: number;
  /** Text arrived below before the last scroll and has not been seen yet. */
  unseenBelow: boolean;
  /** Esc pressed with unsent text: the next Esc quits. */
  confirmQuit: boolean;
  /** A one-line note in the status line until the next key (e.g. "copied"). */
  flash: string | null;
  helpOffset: number;
  /** The context inspector (Ctrl+O) shows `contextManifest`. */
  inspectorOpen: boolean;
  inspectorOffset: number;
  /** The narrator's reasoning shown in full (Ctrl+T) instead of one summary row per reply. */
  reasoningExpanded: boolean;
}

export interface ViewState {
  connection: ConnectionStatus;
  /** When the connection status last changed: a retry's countdown runs from here. */
  connectionSince: number;
  /** Connected at least once; a later open is a reconnect. */
  everConnected: boolean;
  /** A sync_state has come: the lists are the engine's, not just empty. */
  synced: boolean;
  stage: Stage;
  lists: Lists;
  /** Engine commands (or the fallback) plus the client's own. */
  commands: CommandSpec[];
  commandsFromEngine: boolean;
  messages: ChatMessageView[];
  nextId: number;
  /** Recent system notices, newest last. */
  notices: string[];
  stream: StreamState;
  usage: Usage;
  badFrames: number;
  lastBadFrame: string | null;
  /** The engine's background embedding (additive `embedding_progress`), while it is not done. */
  embedding: { text: string; done: number; total: number } | null;
  draft: Draft;
  history: InputHistory;
  ui: UiState;
  /** Set on (re)connect: the next sync_state naming a session asks for its history. */
  resyncArmed: boolean;
  /**
   * A prompt the app should send to reload history after (re)connecting, then clear; a
   * chat_history arriving first (Flower engines send one with the handshake) makes it moot.
   */
  resync: string | null;
  /**
   * Where that reload is: `asked` once sent, `answered` after a chat_history came back, until the
   * sync_state that ends the answer. A chat_history meanwhile is the same session again (Flower
   * engines also send it unasked on connect), so it keeps the local notices at the end.
   */
  resyncing: 'no' | 'asked' | 'answered';
  /** Where the engine reads its config, when it says (sync_state additive `config_path`). */
  configPath: string | null;
  /** The last prompt manifest the engine sent (`/context`, metadata `context_manifest`). */
  contextManifest: ContextManifest | null;
}

export type Action =
  | { type: 'server'; event: AnyServerEvent; at: number }
  | { type: 'connection'; status: ConnectionStatus; at: number }
  | { type: 'bad_frame'; error: string }
  | { type: 'submitted'; text: string; kind: 'story' | 'command'; at: number }
  | { type: 'send_failed'; text: string }
  | { type: 'edit'; op: EditOp }
  | { type: 'set_draft'; text: string }
  | { type: 'history'; direction: -1 | 1 }
  | { type: 'palette_move'; delta: number; count: number }
  | { type: 'palette_dismiss' }
  | { type: 'help'; open: boolean }
  /** `total`: transcript lines now, so the offset can stay anchored while text grows below. */
  | { type: 'scroll'; delta: number; maxOffset: number; total: number; width: number }
  | { type: 'scroll_to'; offset: number; total: number; width: number }
  | { type: 'resync_sent' }
  | { type: 'confirm_quit'; armed: boolean }
  | { type: 'local_message'; kind: 'system' | 'error'; text: string }
  | { type: 'flash'; text: string | null }
  | { type: 'help_scroll'; delta: number; maxOffset: number }
  | { type: 'inspector'; open: boolean }
  | { type: 'inspector_scroll'; delta: number; maxOffset: number }
  | { type: 'reasoning'; expanded: boolean };
