/**
 * One player's state and the clients connected to it. Several clients of a profile see the same
 * state and the same reply streams; nothing here is global, so several profiles can coexist.
 */
import type { AnyServerEvent } from '../protocol/index.ts';
import type { ClientSink } from './api.ts';
import type { Logger, ProfileState, ProfileStore } from './ports.ts';

/** A reply being generated for one session; owned by the engine, not by any socket. */
export interface ActiveReply {
  readonly sessionId: string;
  /** Stops the reply; what was generated so far is kept and stored as `cancelled`. */
  cancel(): void;
  /** Settles once the reply is stored and its `chat_end` sent. Never rejects. */
  readonly finished: Promise<void>;
  /** For a client that joins mid-reply: the thinking so far (`reasoning_chunk`) and the text so far (`chat_chunk`), each only if any. */
  catchUp(): AnyServerEvent[];
}

export const emptyProfileState = (): ProfileState => ({
  model: '',
  modelConfirmed: false,
  worldId: '',
  characterId: '',
  activeRules: [],
  sessionId: '',
});

export class Profile {
  private current: ProfileState;
  private readonly clients = new Set<ClientSink>();
  private readonly replies = new Map<string, ActiveReply>();

  constructor(
    readonly id: string,
    private readonly store: ProfileStore,
    private readonly logger: Logger,
    initial: ProfileState,
  ) {
    this.current = initial;
  }

  get state(): Readonly<ProfileState> {
    return this.current;
  }

  /** Applies and persists a change of state; if saving fails, nothing changes. */
  update(patch: Partial<ProfileState>): Readonly<ProfileState> {
    const next = { ...this.current, ...patch, activeRules: [...(patch.activeRules ?? this.current.activeRules)] };
    this.store.save(this.id, next);
    this.current = next;
    return this.current;
  }

  addClient(sink: ClientSink): void {
    this.clients.add(sink);
  }

  removeClient(sink: ClientSink): void {
    this.clients.delete(sink);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  broadcast(event: AnyServerEvent): void {
    for (const sink of this.clients) this.sendTo(sink, event);
  }

  /** Sinks must not throw; if one does anyway, the other clients still get the event. */
  sendTo(sink: ClientSink, event: AnyServerEvent): void {
    try {
      sink.send(event);
    } catch (error) {
      this.logger.warn('client sink threw while sending', { profile: this.id, event: event.event, error: String(error) });
    }
  }

  replyIn(sessionId: string): ActiveReply | undefined {
    return this.replies.get(sessionId);
  }

  activeReplies(): ActiveReply[] {
    return [...this.replies.values()];
  }

  trackReply(reply: ActiveReply): void {
    this.replies.set(reply.sessionId, reply);
  }

  /** Called by the reply itself before its `chat_end`, so the next turn is accepted at once. */
  untrackReply(reply: ActiveReply): void {
    if (this.replies.get(reply.sessionId) === reply) this.replies.delete(reply.sessionId);
  }
}
