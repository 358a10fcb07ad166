/**
 * Streams one narrator reply: sends chunks to the clients of the profile, writes the text to
 * the store as it grows (throttled, so a crash loses little), and on any ending — done,
 * cancelled, failed — stores the reply and sends exactly one `chat_end`.
 *
 * A reply goes to a new message (a story turn), to a new alternative of an existing reply
 * (/regenerate: the chosen one is parked, see history/swipes.ts), or onto the end of an
 * existing reply (/continue).
 */
import type { AnyServerEvent, ChatChunkMetadata } from '../../protocol/index.ts';
import { chatChunk, chatEnd, errorEvent, systemUpdate } from '../events.ts';
import { bindRolls, rollsBefore } from '../history/dice-messages.ts';
import { exchangeMemoryText } from '../history/memory-sync.ts';
import { dropChosenAlternative, startAlternative } from '../history/swipes.ts';
import type { ChatMessage, MessageRecord, MessageStatus, Store, StreamPart, Usage } from '../ports.ts';
import type { ActiveReply, Profile } from '../profile.ts';
import type { Runtime } from '../runtime.ts';
import { buildChatHistory, buildSyncState } from '../state-events.ts';
import { estimateTokens, replyTokens } from '../tokens.ts';
import { untilAborted } from './until-aborted.ts';

/** How far back a turn looks for the dice rolls made before the player's message. */
const ROLL_LOOKBACK = 30;

/** How often, at most, the growing reply is written to the store. */
export const FLUSH_INTERVAL_MS = 250;

/** Characters per token assumed for text the tokenizer has not counted yet (English prose: ~4). */
const CHARS_PER_TOKEN = 4;

/** Where the reply's text goes. */
export type ReplyTarget =
  | { kind: 'new' }
  | { kind: 'alternative'; message: MessageRecord }
  | { kind: 'continue'; message: MessageRecord };

export interface ReplyRequest {
  profile: Profile;
  worldId: string;
  characterId: string;
  sessionId: string;
  modelId: string;
  messages: ChatMessage[];
  /** The player message this reply answers; none when continuing a reply nobody asked for (a greeting). */
  userMessage?: MessageRecord | undefined;
  /** The session list changed (new title): clients get a `sync_state` after the reply. */
  syncAfter: boolean;
  /** Default: a new message. */
  target?: ReplyTarget;
  /** Clients get a fresh `chat_history` after `chat_end` (alternatives and numbers changed). */
  historyAfter?: boolean;
}

type Failure = { message: string; kind: string; provider: string };

export class ReplyStream implements ActiveReply {
  readonly sessionId: string;
  readonly finished: Promise<void>;
  private readonly controller = new AbortController();
  private cancelled = false;
  private text = '';
  private reasoning = '';
  /** Tokens of the reply's new text up to `countedLength` characters of it, counted at each store write. */
  private countedTokens = 0;
  private countedLength = 0;
  private usage: Usage | undefined;
  private failure: Failure | undefined;
  private readonly startedAt: number;
  private lastFlushAt: number;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly message: MessageRecord;
  private readonly target: ReplyTarget;
  /** Text the message already had (continue); the new text goes after it. */
  private readonly prefix: string;
  /** Where the previously chosen alternative was parked (regenerate), to bring it back if this one stays empty. */
  private parkedAt = -1;
  private readonly prompt: ChatMessage[];

  constructor(
    private readonly rt: Runtime,
    private readonly request: ReplyRequest,
  ) {
    this.sessionId = request.sessionId;
    this.startedAt = rt.deps.clock.now();
    this.lastFlushAt = this.startedAt;
    this.target = request.target ?? { kind: 'new' };
    this.prefix = this.target.kind === 'continue' ? this.target.message.content : '';
    this.text = this.prefix;
    this.message = this.openMessage();
    this.prompt = this.withRolls(request.messages);
    request.profile.trackReply(this);
    this.finished = this.run();
  }

  private openMessage(): MessageRecord {
    const { store } = this.rt.deps;
    const { request, target } = this;
    if (target.kind === 'new') {
      return store.messages.append({
        sessionId: request.sessionId,
        role: 'assistant',
        content: '',
        characterId: request.characterId,
        status: 'streaming',
        model: request.modelId,
        createdAt: this.startedAt,
      });
    }
    if (target.kind === 'alternative') {
      this.parkedAt = store.transaction(() => startAlternative(store, target.message, request.modelId));
    } else {
      store.messages.update(target.message.id, { status: 'streaming' });
    }
    return target.message;
  }

  /** Rolls made just before the answered player message bind the narrator (history/dice-messages.ts). */
  private withRolls(prompt: ChatMessage[]): ChatMessage[] {
    const user = this.request.userMessage;
    if (!user || this.target.kind === 'continue') return prompt;
    try {
      const around = this.rt.deps.store.messages.recent(this.sessionId, ROLL_LOOKBACK).filter((m) => m.id <= user.id);
      return bindRolls(prompt, rollsBefore(around, user.id));
    } catch (error) {
      this.rt.deps.logger.warn('reading dice rolls for the prompt failed', { session: this.sessionId, error: String(error) });
      return prompt;
    }
  }

  cancel(): void {
    this.cancelled = true;
    this.controller.abort();
  }

  catchUp(): AnyServerEvent[] {
    const events: AnyServerEvent[] = [];
    if (this.reasoning !== '') events.push(this.reasoningChunk(this.reasoning));
    if (this.text !== '') events.push(chatChunk(this.text, this.chunkMetadata(this.rt.deps.clock.now())));
    return events;
  }

  private reasoningChunk(text: string): AnyServerEvent {
    return { event: 'reasoning_chunk', content: text, metadata: { model: this.request.modelId, session_id: this.sessionId } };
  }

  private async run(): Promise<void> {
    const { models } = this.rt.deps;
    try {
      const parts = models.stream({ modelId: this.request.modelId, messages: this.prompt, signal: this.controller.signal });
      for await (const part of untilAborted(parts, this.controller.signal)) {
        if (this.cancelled) break;
        this.take(part);
      }
    } catch (error) {
      // The gateway reports errors as parts; a throw is a bug there, still told to the player.
      if (!this.cancelled) this.failure = { message: `The model stream failed: ${String(error)}`, kind: 'upstream', provider: '' };
    }
    try {
      this.finish();
    } catch (error) {
      // `finished` never rejects: a rejection here would be unhandled and end the process.
      this.rt.deps.logger.error('finishing a reply failed', { session: this.sessionId, error: String(error) });
    }
  }

  private take(part: StreamPart): void {
    switch (part.type) {
      case 'text':
        return this.takeText(part.text);
      case 'reasoning':
        this.reasoning += part.text;
        if (!this.isShown()) return;
        this.request.profile.broadcast(this.reasoningChunk(part.text));
        return;
      case 'finish':
        this.usage = part.usage;
        return;
      case 'error':
        // An abort we asked for is a cancel, not a failure.
        if (part.kind === 'aborted' && this.cancelled) return;
        this.failure ??= { message: part.message, kind: part.kind, provider: part.provider };
        return;
    }
  }

  private takeText(text: string): void {
    if (text === '') return;
    const now = this.rt.deps.clock.now();
    this.text += text;
    if (this.isShown()) this.request.profile.broadcast(chatChunk(text, this.chunkMetadata(now)));
    if (now - this.lastFlushAt >= FLUSH_INTERVAL_MS) {
      this.flush();
      return;
    }
    // Text that arrives just before a long pause upstream is saved too, not only at the next chunk.
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
    this.flushTimer.unref?.();
  }

  /**
   * Clients show the profile's active session; after a switch mid-reply the rest is stored but
   * not streamed into the other session's view (`chat_end` still comes, to unlock the input).
   */
  private isShown(): boolean {
    return this.request.profile.state.sessionId === this.sessionId;
  }

  /**
   * The rate shown while streaming. Tokenizing every chunk cost more than relaying it, so the
   * text is counted at each store write (every 250 ms at most) and the rest estimated by length;
   * `chat_end` carries the exact total.
   */
  private chunkMetadata(now: number): ChatChunkMetadata {
    const seconds = (now - this.startedAt) / 1000;
    const uncounted = this.text.length - this.prefix.length - this.countedLength;
    const tokens = this.countedTokens + uncounted / CHARS_PER_TOKEN;
    return {
      model: this.request.modelId,
      tokens_per_second: seconds > 0 ? Math.round((tokens / seconds) * 10) / 10 : 0,
      world_id: this.request.worldId,
      session_id: this.sessionId,
    };
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlushAt = this.rt.deps.clock.now();
    const added = this.text.length - this.prefix.length;
    this.countedTokens += estimateTokens(this.text.slice(this.prefix.length + this.countedLength));
    this.countedLength = added;
    this.guarded('saving the growing reply', (store) =>
      store.messages.update(this.message.id, { content: this.text, reasoning: this.reasoning }),
    );
  }

  private finish(): void {
    const { profile } = this.request;
    const { clock } = this.rt.deps;
    clearTimeout(this.flushTimer);
    const added = this.text.slice(this.prefix.length);
    const status: MessageStatus = this.cancelled ? 'cancelled' : this.failure ? 'failed' : 'complete';
    const tokens = replyTokens(this.usage?.outputTokens, added) + (this.target.kind === 'continue' ? this.target.message.tokens : 0);
    const now = clock.now();
    const changed = this.guarded('storing the reply', (store) => store.transaction(() => this.store(store, added, status, tokens)));
    if (changed) this.guarded('indexing the exchange as memory', (store) => this.remember(store, now));
    this.guarded('touching the session', (store) => store.sessions.touch(this.sessionId, now));
    profile.untrackReply(this);
    if (this.failure) {
      profile.broadcast(
        errorEvent(this.failure.message, { kind: this.failure.kind, provider: this.failure.provider, session_id: this.sessionId }),
      );
    } else if (!this.cancelled && added.trim() === '') {
      profile.broadcast(systemUpdate(`✗ ${this.request.modelId} returned no text. Try again, or pick another model with /model <id>.`));
    }
    profile.broadcast(chatEnd({ total_tokens: tokens, session_id: this.sessionId }));
    if (this.request.historyAfter && this.isShown()) {
      this.guarded('sending the changed history', (store) => profile.broadcast(buildChatHistory(store, this.sessionId)));
    }
    if (this.request.syncAfter) this.guarded('sending the new session title', () => profile.broadcast(buildSyncState(this.rt, profile)));
    this.rt.afterReply?.(this.sessionId);
  }

  /**
   * Stores the ending. An alternative or a continuation that produced no text leaves the message
   * as it was; otherwise memories built from the message are rebuilt from its new text.
   */
  private store(store: Store, added: string, status: MessageStatus, tokens: number): boolean {
    const { target } = this;
    const nothingNew = added.trim() === '';
    if (nothingNew && target.kind === 'alternative' && dropChosenAlternative(store, this.message.id, this.parkedAt)) return false;
    if (nothingNew && target.kind === 'continue') {
      store.messages.update(this.message.id, { status: target.message.status });
      return false;
    }
    store.messages.update(this.message.id, { content: this.text, status, tokens, reasoning: this.reasoning });
    return this.text.trim() !== '';
  }

  private remember(store: Store, now: number): void {
    if (this.target.kind !== 'new') {
      store.memory.deleteForMessages(this.sessionId, [this.message.id]);
      store.summaries?.delete(this.sessionId);
    }
    const user = this.request.userMessage;
    if (!user) return;
    // Hidden messages make no memories (history/memory-sync.ts). The flags are read now: a
    // reply written again in a hidden slot, or a message hidden while this reply streamed.
    const hidden = (id: number): boolean => store.messages.get(id)?.hidden === true;
    if (hidden(user.id) || hidden(this.message.id)) return;
    store.memory.add(this.sessionId, exchangeMemoryText(user.content, this.text), [user.id, this.message.id], now);
  }

  /** Failures while a reply runs are logged, never thrown: the stream and the other writes go on. */
  private guarded<T>(what: string, work: (store: Store) => T): T | undefined {
    try {
      return work(this.rt.deps.store);
    } catch (error) {
      this.rt.deps.logger.error(`${what} failed`, { session: this.sessionId, message: this.message.id, error: String(error) });
      return undefined;
    }
  }
}
