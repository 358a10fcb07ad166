/**
 * Streams one narrator reply: sends chunks to the clients of the profile, writes the text to
 * the store as it grows (throttled, so a crash loses little), and on any ending — done,
 * cancelled, failed — stores the reply and sends exactly one `chat_end`.
 */
import type { ChatChunkMetadata, ServerEvent } from '../../protocol/index.ts';
import { chatChunk, chatEnd, errorEvent, systemUpdate } from '../events.ts';
import type { ChatMessage, MessageRecord, MessageStatus, Store, StreamPart, Usage } from '../ports.ts';
import type { ActiveReply, Profile } from '../profile.ts';
import type { Runtime } from '../runtime.ts';
import { buildSyncState } from '../state-events.ts';
import { estimateTokens, replyTokens } from '../tokens.ts';
import { untilAborted } from './until-aborted.ts';

/** How often, at most, the growing reply is written to the store. */
export const FLUSH_INTERVAL_MS = 250;

export interface ReplyRequest {
  profile: Profile;
  worldId: string;
  characterId: string;
  sessionId: string;
  modelId: string;
  messages: ChatMessage[];
  userMessage: MessageRecord;
  /** The session list changed (new title): clients get a `sync_state` after the reply. */
  syncAfter: boolean;
}

type Failure = { message: string; kind: string; provider: string };

export class ReplyStream implements ActiveReply {
  readonly sessionId: string;
  readonly finished: Promise<void>;
  private readonly controller = new AbortController();
  private cancelled = false;
  private text = '';
  private reasoning = '';
  private estimatedTokens = 0;
  private usage: Usage | undefined;
  private failure: Failure | undefined;
  private readonly startedAt: number;
  private lastFlushAt: number;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly message: MessageRecord;

  constructor(
    private readonly rt: Runtime,
    private readonly request: ReplyRequest,
  ) {
    this.sessionId = request.sessionId;
    this.startedAt = rt.deps.clock.now();
    this.lastFlushAt = this.startedAt;
    this.message = rt.deps.store.messages.append({
      sessionId: request.sessionId,
      role: 'assistant',
      content: '',
      characterId: request.characterId,
      status: 'streaming',
      model: request.modelId,
      createdAt: this.startedAt,
    });
    request.profile.trackReply(this);
    this.finished = this.run();
  }

  cancel(): void {
    this.cancelled = true;
    this.controller.abort();
  }

  catchUp(): ServerEvent | undefined {
    if (this.text === '') return undefined;
    return chatChunk(this.text, this.chunkMetadata(this.rt.deps.clock.now()));
  }

  private async run(): Promise<void> {
    const { models } = this.rt.deps;
    try {
      const parts = models.stream({ modelId: this.request.modelId, messages: this.request.messages, signal: this.controller.signal });
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
        this.request.profile.broadcast({
          event: 'reasoning_chunk',
          content: part.text,
          metadata: { model: this.request.modelId, session_id: this.sessionId },
        });
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
    this.estimatedTokens += estimateTokens(text);
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

  private chunkMetadata(now: number): ChatChunkMetadata {
    const seconds = (now - this.startedAt) / 1000;
    return {
      model: this.request.modelId,
      tokens_per_second: seconds > 0 ? Math.round((this.estimatedTokens / seconds) * 10) / 10 : 0,
      world_id: this.request.worldId,
      session_id: this.sessionId,
    };
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlushAt = this.rt.deps.clock.now();
    this.guarded('saving the growing reply', (store) =>
      store.messages.update(this.message.id, { content: this.text, reasoning: this.reasoning }),
    );
  }

  private finish(): void {
    const { profile } = this.request;
    const { clock } = this.rt.deps;
    clearTimeout(this.flushTimer);
    const status: MessageStatus = this.cancelled ? 'cancelled' : this.failure ? 'failed' : 'complete';
    const tokens = replyTokens(this.usage?.outputTokens, this.text);
    const now = clock.now();
    this.guarded('storing the reply', (store) =>
      store.messages.update(this.message.id, { content: this.text, status, tokens, reasoning: this.reasoning }),
    );
    if (this.text.trim() !== '') {
      this.guarded('indexing the exchange as memory', (store) =>
        store.memory.add(this.sessionId, `User: ${this.request.userMessage.content}\nAI: ${this.text}`, [this.request.userMessage.id, this.message.id], now),
      );
    }
    this.guarded('touching the session', (store) => store.sessions.touch(this.sessionId, now));
    profile.untrackReply(this);
    if (this.failure) {
      profile.broadcast(
        errorEvent(this.failure.message, { kind: this.failure.kind, provider: this.failure.provider, session_id: this.sessionId }),
      );
    } else if (!this.cancelled && this.text.trim() === '') {
      profile.broadcast(systemUpdate(`✗ ${this.request.modelId} returned no text. Try again, or pick another model with /model <id>.`));
    }
    profile.broadcast(chatEnd({ total_tokens: tokens, session_id: this.sessionId }));
    if (this.request.syncAfter) this.guarded('sending the new session title', () => profile.broadcast(buildSyncState(this.rt, profile)));
  }

  /** Failures while a reply runs are logged, never thrown: the stream and the other writes go on. */
  private guarded(what: string, work: (store: Store) => void): void {
    try {
      work(this.rt.deps.store);
    } catch (error) {
      this.rt.deps.logger.error(`${what} failed`, { session: this.sessionId, message: this.message.id, error: String(error) });
    }
  }
}
