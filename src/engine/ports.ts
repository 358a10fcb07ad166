/**
 * The ports the engine talks to. Adapters live in store/, providers/ and content/; tests pass
 * fakes of these (a scripted provider, `:memory:` SQLite), never library internals.
 */
import type { ContextManifest } from '../protocol/index.ts';
import type { ContentLoad, LoreEntry, World } from './content.ts';

// ---------------------------------------------------------------- clock, random, log

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
}

export type LogFields = Record<string, unknown>;
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

// ---------------------------------------------------------------- content

export interface ContentSource {
  load(): ContentLoad;
  /** Calls back after files change; returns a stop function. Optional: tests may not watch. */
  watch?(onChange: () => void): () => void;
}

// ---------------------------------------------------------------- player files (import, export)

export type ImportRead = { ok: true; path: string; bytes: Uint8Array } | { ok: false; problem: string };

export type EntriesAdded = { ok: true; path: string; added: number } | { ok: false; problem: string };

/**
 * The files `/import` and `/export` touch: a file the player names, the exports folder and the
 * world files an import creates or extends. Behind a port so the engine does no file I/O and
 * the allow-list of readable places lives in one adapter (content/transfer-files.ts).
 */
export interface TransferFiles {
  /** Reads a file the player named. `guest`: a profile other than the owner's, which may not read the host's home folder. */
  readImport(input: string, options: { guest: boolean }): ImportRead;
  /** Writes an export file; returns its full path. */
  writeExport(fileName: string, text: string): string;
  /** World ids that world files declare or whose `<id>.yaml` name exists: an imported world needs another. */
  takenWorldIds(): ReadonlySet<string>;
  /** Writes a new world file; never overwrites one. Returns its path. */
  createWorld(world: World): string;
  /** Appends lore entries to the file that defines `worldId`, keeping its comments and layout. */
  addEntries(worldId: string, entries: readonly LoreEntry[]): EntriesAdded;
}

// ---------------------------------------------------------------- store

export interface ProfileState {
  model: string;
  modelConfirmed: boolean;
  worldId: string;
  characterId: string;
  activeRules: string[];
  sessionId: string;
}

export interface SessionRecord {
  id: string;
  profileId: string;
  worldId: string;
  characterId: string;
  model: string;
  title: string;
  /** The session this one was forked from, if any. */
  parentId: string | null;
  createdAt: number;
  lastUsedAt: number;
}

export type NewSession = Omit<SessionRecord, 'title' | 'lastUsedAt'> & { title?: string };

export type MessageRole = 'user' | 'assistant' | 'system';
/**
 * `streaming` while a reply is being written; a row still `streaming` at start-up was cut by
 * a crash and becomes `interrupted`. Nothing is ever dropped because of its status.
 */
export type MessageStatus = 'complete' | 'streaming' | 'cancelled' | 'failed' | 'interrupted';

export interface MessageRecord {
  id: number;
  sessionId: string;
  role: MessageRole;
  content: string;
  characterId: string;
  status: MessageStatus;
  model: string;
  /** Completion tokens of a reply (provider-reported or estimated); 0 for other messages. */
  tokens: number;
  /** Reasoning text of reasoning models, kept out of the narration. */
  reasoning: string;
  createdAt: number;
  /**
   * Hidden from the narrator (`/hide`): still shown, numbered and exported, but left out of the
   * prompt, of memories and of the summary. Stores set it only when true.
   */
  hidden?: boolean;
}

export type NewMessage = Pick<MessageRecord, 'sessionId' | 'role' | 'content' | 'characterId'> &
  Partial<Pick<MessageRecord, 'status' | 'model' | 'tokens' | 'reasoning' | 'createdAt' | 'hidden'>>;

export type MessagePatch = Partial<Pick<MessageRecord, 'content' | 'status' | 'tokens' | 'reasoning' | 'model' | 'hidden'>>;

export interface Scored<T> {
  item: T;
  /** Higher is better. */
  score: number;
}

export interface LoreChunk {
  id: number;
  worldId: string;
  text: string;
  /** `file` chunks come from the world's YAML lore; `attached` from `/world attach_lore`. */
  source: 'file' | 'attached';
}

export interface MemoryRecord {
  id: number;
  sessionId: string;
  text: string;
  /** The messages this memory was built from, so edits can rebuild it. */
  messageIds: number[];
  createdAt: number;
}

export interface ProfileStore {
  load(profileId: string): ProfileState | undefined;
  save(profileId: string, state: ProfileState): void;
}

export interface SessionStore {
  /** Creates the session and, when given, its first assistant message, in one transaction. */
  create(session: NewSession, startMessage?: string): SessionRecord;
  get(profileId: string, id: string): SessionRecord | undefined;
  /** Most recently used first. */
  listRecent(profileId: string, limit: number): SessionRecord[];
  touch(id: string, at: number): void;
  setTitle(id: string, title: string): void;
  /** The session's author's note (`/note`); empty when it has none or the session is gone. */
  note(id: string): string;
  /** Sets the author's note; an empty text clears it. */
  setNote(id: string, note: string): void;
  /** Deletes the session, its messages, memories and anything else it owns, in one transaction. */
  delete(id: string): void;
}

export interface MessageStore {
  append(message: NewMessage): MessageRecord;
  update(id: number, patch: MessagePatch): void;
  get(id: number): MessageRecord | undefined;
  /** Oldest first. */
  list(sessionId: string): MessageRecord[];
  /** The newest `limit` messages, oldest first. */
  recent(sessionId: string, limit: number): MessageRecord[];
  /** The newest `limit` messages with `afterId < id < beforeId`, oldest first. */
  between(sessionId: string, afterId: number, beforeId: number, limit: number): MessageRecord[];
  count(sessionId: string): number;
  /** Reply tokens of the session summed per model, for its cost estimate. */
  tokensByModel(sessionId: string): Array<{ model: string; tokens: number }>;
  delete(id: number): void;
  /** Marks rows left `streaming` by a crash as `interrupted`; returns how many. */
  recoverInterrupted(): number;
}

export interface LoreStore {
  /** Replaces the world's `file` chunks (attached chunks stay) if the lore text changed. */
  syncWorld(world: Pick<World, 'id' | 'lore'>, chunks: string[]): void;
  attach(worldId: string, text: string): LoreChunk;
  /** BM25 ranked; `query` is free user text, made safe for the index by the store. */
  search(worldId: string, query: string, limit: number): Scored<LoreChunk>[];
  count(worldId: string): number;
}

export interface MemoryStore {
  add(sessionId: string, text: string, messageIds: number[], at: number): MemoryRecord;
  search(sessionId: string, query: string, limit: number): Scored<MemoryRecord>[];
  list(sessionId: string): MemoryRecord[];
  /** Removes memories built from any of these messages (before rebuilding them). */
  deleteForMessages(sessionId: string, messageIds: number[]): void;
}

/** One access token as listed: never the token itself, which is shown once at creation. */
export interface AccessTokenRecord {
  id: string;
  profileId: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export type RevokeResult =
  | { status: 'revoked' | 'already_revoked'; token: AccessTokenRecord }
  | { status: 'unknown' }
  | { status: 'ambiguous'; matches: string[] };

/** Access tokens of players sharing an engine; only a hash of each token is stored. */
export interface TokenStore {
  /** The plaintext `token` is returned here once and never again. */
  create(profileId: string, label?: string): { token: string; record: AccessTokenRecord };
  /** The profile of a valid, unrevoked token (and records its use), else `undefined`. */
  verify(token: string): string | undefined;
  /** As `verify`, with the token's id too (the id is what `activeIds` and `revoke` speak of). */
  identify(token: string): { id: string; profileId: string } | undefined;
  /** Ids of the unrevoked tokens: one cheap read, so open sockets can be checked often. */
  activeIds(): ReadonlySet<string>;
  /** Newest first, revoked ones included. */
  list(): AccessTokenRecord[];
  /** By full id or an unambiguous prefix of at least 4 characters. */
  revoke(idOrPrefix: string): RevokeResult;
  /** Whether any unrevoked token exists. */
  hasActive(): boolean;
}

// ---------------------------------------------------------------- embeddings (optional)

/** Turns texts into vectors; `id` names the provider and model (`ollama/nomic-embed-text`). */
export interface EmbeddingModel {
  id: string;
  /** One vector per text, in order. Rejects with a readable error naming the provider. */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

/** What can be embedded: lore chunks (scoped by world) and memories (scoped by session). */
export type VectorKind = 'lore' | 'memory';

export interface VectorScope {
  /** Required to search lore. */
  worldId?: string;
  /** Required to search memories. */
  sessionId?: string;
}

export interface VectorCount {
  embedded: number;
  total: number;
}

/**
 * Vectors of lore chunks and memories, kept per embedding model. A vector goes away with its
 * row (session deleted, lore re-synced, memory rebuilt), so a row without one is `missing`.
 */
export interface VectorIndex {
  /** Stores the vector of a row; false when the row no longer exists. */
  upsert(kind: VectorKind, rowId: number, model: string, vector: Float32Array | number[]): boolean;
  /** Row ids nearest to `vector` within the scope; score is cosine similarity (higher is better). */
  search(kind: VectorKind, scope: VectorScope, model: string, vector: Float32Array | number[], limit: number): Scored<number>[];
  /**
   * Rows with no vector for this model yet, oldest first, from ids above `afterRowId` (row ids
   * only grow, so a caller can page through new rows without rescanning old ones).
   */
  missing(kind: VectorKind, model: string, limit: number, afterRowId?: number): Array<{ rowId: number; text: string }>;
  counts(model: string): Record<VectorKind, VectorCount>;
  /** The rows behind vector hits, in the order asked; ids that no longer exist are left out. */
  loreChunks(ids: readonly number[]): LoreChunk[];
  memories(ids: readonly number[]): MemoryRecord[];
}

/**
 * An alternative reply ("swipe") that is not the chosen one. The chosen alternative is always the
 * message row itself, so history, memory and export read messages as before; the others wait
 * here at their position (0-based) among the message's alternatives.
 */
export interface SwipeRecord {
  messageId: number;
  position: number;
  content: string;
  status: MessageStatus;
  model: string;
  tokens: number;
  reasoning: string;
  createdAt: number;
}

export interface SwipeStore {
  /** The parked alternatives of a message, by position. */
  list(messageId: number): SwipeRecord[];
  /** Parked positions of every message of a session that has alternatives. */
  positionsBySession(sessionId: string): Map<number, number[]>;
  /** Parks an alternative (replacing one at the same position). */
  put(record: SwipeRecord): void;
  remove(messageId: number, position: number): void;
}

/** A session's rolling summary of the turns that fell out of the history window. */
export interface SessionSummary {
  sessionId: string;
  text: string;
  /** The newest message the summary covers; later ones are still in the history window. */
  coversUpToMessageId: number;
  updatedAt: number;
}

export interface SummaryStore {
  get(sessionId: string): SessionSummary | undefined;
  save(summary: SessionSummary): void;
  /** Dropped when messages it covers change; rebuilt in the background. */
  delete(sessionId: string): void;
}

/** The prompt manifest of each session's last turn (what `/context` shows). */
export interface ManifestStore {
  get(sessionId: string): ContextManifest | undefined;
  /** Replaces the session's last manifest; deleted with the session. */
  save(manifest: ContextManifest): void;
}

/** The database's mirror of the content files' worlds and characters. */
export interface CatalogStore {
  sync(content: { worlds: Iterable<{ id: string; name: string }>; characters: Iterable<{ id: string; name: string; persona: string }> }): void;
  characters(): Array<{ id: string; name: string; persona: string }>;
}

export interface Store {
  profiles: ProfileStore;
  catalog: CatalogStore;
  sessions: SessionStore;
  messages: MessageStore;
  lore: LoreStore;
  memory: MemoryStore;
  /** Present when the vector extension loaded; BM25 search works without it. */
  vectors?: VectorIndex;
  /** Access tokens; optional so fakes of the store need not carry them. */
  tokens?: TokenStore;
  /** Rolling summaries of the turns that left the history window (issue 5). */
  summaries: SummaryStore;
  /** Each session's last prompt manifest (issue 5). */
  manifests: ManifestStore;
  /** Alternative replies (issue 6); optional so fakes of the store need not carry them. */
  swipes?: SwipeStore;
  /** Runs `work` atomically: all of its writes or none. */
  transaction<T>(work: () => T): T;
  close(): void;
}

// ---------------------------------------------------------------- models

export interface ModelInfo {
  /** Unambiguous across providers: `<provider name>/<provider's model id>`. */
  id: string;
  name: string;
  provider: string;
  /** USD per million tokens. */
  promptPrice: number;
  completionPrice: number;
  contextLength?: number;
  /** The reply length the gateway asks for when the request names none (config `max_output_tokens`). */
  maxOutputTokens?: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  modelId: string;
  messages: ChatMessage[];
  signal: AbortSignal;
  maxOutputTokens?: number;
}

export type ProviderErrorKind =
  | 'auth'
  | 'rate_limit'
  | 'unknown_model'
  | 'context_length'
  | 'content_filter'
  | 'upstream'
  | 'network'
  | 'stall'
  | 'bad_response'
  | 'aborted';

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

export type StreamPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'finish'; usage: Usage; finishReason: string }
  /** Errors arrive as parts, never as throws; the message is readable and names the provider. */
  | { type: 'error'; kind: ProviderErrorKind; message: string; provider: string };

export interface ModelGateway {
  /** The models known now; the list grows as providers finish listing in the background. */
  listModels(): readonly ModelInfo[];
  onModelsChanged(listener: () => void): () => void;
  /** The configured default model id, if any. */
  defaultModel(): string | undefined;
  stream(request: ChatRequest): AsyncIterable<StreamPart>;
}
