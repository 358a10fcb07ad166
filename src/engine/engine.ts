/**
 * The engine: content, profiles and their clients, commands and story turns. It talks to the
 * outside only through its ports (`EngineDeps`) and the client sinks the transport gives it.
 */
import type { ClientSink, EngineApi, EngineConnection, EngineDeps } from './api.ts';
import { chunkLore } from './chunk-lore.ts';
import type { Command, CommandContext } from './commands/command.ts';
import { dispatchCommand } from './commands/dispatch.ts';
import { commands as defaultCommands } from './commands/index.ts';
import type { Content, ContentLoad } from './content.ts';
import { systemUpdate } from './events.ts';
import { emptyProfileState, Profile } from './profile.ts';
import { createEmbeddingIndexer, type EmbeddingIndexer, type EmbeddingProgress } from './retrieval/embedding-indexer.ts';
import { createHybridSearch } from './retrieval/hybrid-search.ts';
import type { Runtime } from './runtime.ts';
import { buildChatHistory, buildSyncState } from './state-events.ts';
import { createSummarizer, type Summarizer } from './summary/summarizer.ts';
import { CachedTokenCounter } from './tokens.ts';
import { HistoryPageSizes } from './turn/recent-history.ts';
import { startTurn } from './turn/start-turn.ts';

export const DEFAULT_GRACE_MS = 5_000;

const emptyContent = (): Content => ({ worlds: new Map(), characters: new Map(), rules: new Map(), systemRules: '' });

export class Engine implements EngineApi {
  private readonly profiles = new Map<string, Profile>();
  private current: Content = emptyContent();
  /** What the last content load skipped, told to players so a missing world is never a mystery. */
  private contentNotice: string | undefined;
  private shuttingDown = false;
  private readonly stops: (() => void)[] = [];
  private readonly runtime: Runtime;
  /** Keeps each session's rolling summary; runs after replies, in the background. */
  readonly summarizer: Summarizer;
  private readonly indexer: EmbeddingIndexer | undefined;

  constructor(
    private readonly deps: EngineDeps,
    commandList: readonly Command[] = defaultCommands,
  ) {
    const { store, models, logger, clock, embeddings } = deps;
    this.summarizer = createSummarizer({ store, models, logger, clock });
    const vectors = embeddings && store.vectors ? embeddings : undefined;
    this.indexer = vectors && createEmbeddingIndexer({ store, model: vectors, logger, onProgress: (progress) => this.embeddingProgress(progress) });
    this.runtime = {
      deps,
      content: () => this.current,
      commands: commandList,
      isShuttingDown: () => this.shuttingDown,
      afterReply: (sessionId) => {
        this.summarizer.afterReply(sessionId);
        this.indexer?.kick();
      },
      indexChanged: () => this.indexer?.kick(),
      reloadContent: () => this.reloadContent(),
      tokens: new CachedTokenCounter(),
      historyPages: new HistoryPageSizes(),
      ...(vectors ? { search: createHybridSearch({ store, logger, embeddings: vectors, clock }) } : {}),
    };
  }

  start(): void {
    const { content, models, store, logger } = this.deps;
    const loaded = this.loadContent();
    if (loaded) this.applyContent(loaded);
    const recovered = store.messages.recoverInterrupted();
    if (recovered > 0) logger.warn('replies cut by a crash were kept as interrupted', { count: recovered });
    this.indexer?.start();
    this.stops.push(models.onModelsChanged(() => this.syncAll()));
    if (content.watch) {
      this.stops.push(
        content.watch(() => this.reloadContent()),
      );
    }
  }

  connect(profileId: string, sink: ClientSink): EngineConnection {
    const profile = this.profile(profileId);
    profile.addClient(sink);
    profile.sendTo(sink, systemUpdate('✓ Engine ready.', { status: 'ok' }));
    profile.sendTo(sink, buildSyncState(this.runtime, profile));
    const { sessionId } = profile.state;
    if (sessionId) {
      profile.sendTo(sink, buildChatHistory(this.deps.store, sessionId));
      for (const event of profile.replyIn(sessionId)?.catchUp() ?? []) profile.sendTo(sink, event);
    }
    if (this.contentNotice) profile.sendTo(sink, systemUpdate(this.contentNotice));
    let open = true;
    return {
      handlePrompt: async (prompt) => {
        if (!open) return;
        await this.handlePrompt(profile, sink, prompt);
      },
      close: () => {
        open = false;
        profile.removeClient(sink);
      },
    };
  }

  async shutdown(options: { graceMs?: number } = {}): Promise<void> {
    this.shuttingDown = true;
    for (const stop of this.stops.splice(0)) stop();
    const background = Promise.all([this.summarizer.stop(), this.indexer?.stop()]);
    const replies = [...this.profiles.values()].flatMap((profile) => profile.activeReplies());
    if (replies.length === 0) {
      await background;
      return;
    }
    const all = Promise.all(replies.map((reply) => reply.finished));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), options.graceMs ?? DEFAULT_GRACE_MS);
    });
    const outcome = await Promise.race([all.then(() => 'done' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'done') {
      await background;
      return;
    }
    for (const profile of this.profiles.values()) {
      const cut = profile.activeReplies();
      for (const reply of cut) reply.cancel();
      if (cut.length > 0) profile.broadcast(systemUpdate('✗ The engine is shutting down: the reply was stopped and saved.'));
    }
    await all;
    await background;
  }

  private async handlePrompt(profile: Profile, sink: ClientSink, prompt: string): Promise<void> {
    const text = prompt.trim();
    try {
      if (text === '') {
        profile.sendTo(sink, systemUpdate('✗ Empty prompt: write what your character does, or type / for commands.'));
        return;
      }
      if (text.startsWith('/')) {
        await dispatchCommand(this.commandContext(profile, sink), text);
        return;
      }
      await startTurn(this.runtime, profile, sink, text);
    } catch (error) {
      this.deps.logger.error('handling a prompt failed', { profile: profile.id, error: String(error) });
      profile.sendTo(sink, systemUpdate(`✗ Something went wrong handling that: ${errorText(error)}. Details are in the engine log.`));
    }
  }

  private commandContext(profile: Profile, sink: ClientSink): CommandContext {
    return {
      runtime: this.runtime,
      profile,
      content: this.current,
      reply: (content, metadata) => profile.sendTo(sink, systemUpdate(content, metadata)),
      announce: (content, metadata) => profile.broadcast(systemUpdate(content, metadata)),
      syncState: () => profile.broadcast(buildSyncState(this.runtime, profile)),
      chatHistory: (sessionId) => profile.broadcast(buildChatHistory(this.deps.store, sessionId)),
    };
  }

  private profile(id: string): Profile {
    const existing = this.profiles.get(id);
    if (existing) return existing;
    const { store, logger } = this.deps;
    const saved = store.profiles.load(id);
    const state = { ...emptyProfileState(), ...saved };
    // A session deleted behind our back (or never stored) must not stay active.
    if (state.sessionId && !store.sessions.get(id, state.sessionId)) state.sessionId = '';
    const profile = new Profile(id, store.profiles, logger, state);
    this.profiles.set(id, profile);
    return profile;
  }

  private loadContent(): ContentLoad | undefined {
    const { content, logger } = this.deps;
    try {
      const loaded = content.load();
      for (const warning of loaded.warnings) logger.warn(`content skipped: ${warning.problem}`, { file: warning.file });
      this.contentNotice = contentNotice(loaded);
      return loaded;
    } catch (error) {
      logger.error('loading content failed; keeping the last content that loaded', { error: String(error) });
      return undefined;
    }
  }

  private applyContent(loaded: ContentLoad): void {
    const { store, logger } = this.deps;
    this.current = loaded.content;
    try {
      store.catalog.sync({ worlds: loaded.content.worlds.values(), characters: loaded.content.characters.values() });
    } catch (error) {
      logger.error('mirroring worlds and characters into the database failed', { error: String(error) });
    }
    for (const world of loaded.content.worlds.values()) {
      try {
        store.lore.syncWorld(world, chunkLore(world.lore));
      } catch (error) {
        logger.error('indexing world lore failed', { world: world.id, error: String(error) });
      }
    }
    this.indexer?.kick();
  }

  /** Background embedding progress goes to every connected client (additive `embedding_progress`). */
  private embeddingProgress(progress: EmbeddingProgress): void {
    const model = this.deps.embeddings?.id ?? '';
    const what = progress.kind === 'lore' ? 'lore' : 'memories';
    const event = {
      event: 'embedding_progress',
      content: `Embedding ${what}: ${progress.done}/${progress.total}`,
      metadata: { kind: progress.kind, done: progress.done, total: progress.total, model },
    };
    for (const profile of this.profiles.values()) {
      if (profile.clientCount > 0) profile.broadcast(event);
    }
  }

  private reloadContent(): void {
    const reloaded = this.loadContent();
    if (!reloaded) return;
    this.applyContent(reloaded);
    this.syncAll();
    if (this.contentNotice) this.broadcastAll(systemUpdate(this.contentNotice));
  }

  private broadcastAll(event: ReturnType<typeof systemUpdate>): void {
    for (const profile of this.profiles.values()) {
      if (profile.clientCount > 0) profile.broadcast(event);
    }
  }

  /** Runs from provider and file-watch callbacks, which must never see our failures. */
  private syncAll(): void {
    for (const profile of this.profiles.values()) {
      if (profile.clientCount === 0) continue;
      try {
        profile.broadcast(buildSyncState(this.runtime, profile));
      } catch (error) {
        this.deps.logger.error('sending sync_state failed', { profile: profile.id, error: String(error) });
      }
    }
  }
}

const NOTICE_PROBLEMS = 5;

/** One readable line naming the content files that were skipped or kept at their last good version. */
function contentNotice(loaded: ContentLoad): string | undefined {
  if (loaded.warnings.length === 0) return undefined;
  const shown = loaded.warnings
    .slice(0, NOTICE_PROBLEMS)
    .map(({ file, problem }) => (problem.startsWith(file) ? problem : `${file}: ${problem}`));
  const more = loaded.warnings.length - shown.length;
  const tail = more > 0 ? `; and ${more} more (see flower.log)` : '';
  return `✗ Some content files have problems, the rest loaded: ${shown.join('; ')}${tail}`;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
