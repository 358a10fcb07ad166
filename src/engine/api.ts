/**
 * What the transport (server/) sees of the engine. The engine class implements `EngineApi`;
 * the server only parses frames, hands prompts over and sends what comes back.
 */
import type { AnyServerEvent } from '../protocol/index.ts';
import type { Clock, ContentSource, EmbeddingModel, Logger, ModelGateway, RandomSource, Store, TransferFiles } from './ports.ts';

export interface EngineDeps {
  store: Store;
  models: ModelGateway;
  content: ContentSource;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  /** Optional: lore and memory are also ranked by vectors when the store has a vector index. */
  embeddings?: EmbeddingModel;
  /** The files /import and /export may read and write. Without it those commands answer ✗. */
  files?: TransferFiles;
}

/** Where the engine sends events for one client. Must not throw; a dead client just drops. */
export interface ClientSink {
  send(event: AnyServerEvent): void;
}

export interface EngineConnection {
  /**
   * One prompt from the client (already parsed from its frame). Resolves when the prompt has
   * been handled; for a story turn that is when the reply stream has started, not ended, so
   * the transport keeps reading frames (`/cancel`) while a reply streams.
   */
  handlePrompt(prompt: string): Promise<void>;
  /** The client went away. Its replies keep streaming to the profile and are stored. */
  close(): void;
}

export interface EngineApi {
  /** Loads content, restores profiles, recovers replies cut by a crash. */
  start(): void;
  /** Registers a client of a profile and sends it the handshake. */
  connect(profileId: string, sink: ClientSink): EngineConnection;
  /** Stops accepting turns, lets replies finish for up to `graceMs`, then cancels and stores them. */
  shutdown(options?: { graceMs?: number }): Promise<void>;
}
