/**
 * The rolling summary: after a reply, the messages that fell out of the last prompt's history
 * window are folded into the session's summary by the session's model, in the background and one
 * update at a time per session. A failed update is logged and tried again after the next reply;
 * it never touches the player's turn.
 */
import type { ContextManifest } from '../../protocol/index.ts';
import type { Clock, Logger, MessageRecord, ModelGateway, Store } from '../ports.ts';
import { estimateTokens } from '../tokens.ts';
import { summaryRequest } from './summary-prompt.ts';

export interface SummarizerOptions {
  store: Store;
  models: ModelGateway;
  logger: Logger;
  clock: Clock;
  /** Fewer fallen-out messages than this wait for a later reply (one request per exchange is costly). */
  minMessages?: number;
  /** At most this many tokens of new messages per request; more are folded in over several. */
  batchTokens?: number;
  /** A session with a longer backlog (an imported chat) starts from its newest fallen-out messages. */
  maxBacklog?: number;
  maxOutputTokens?: number;
}

export interface Summarizer {
  /** Schedules an update of the session's summary; returns at once. */
  afterReply(sessionId: string): void;
  /** Settles once no update is running (tests, shutdown). */
  idle(): Promise<void>;
  /** Aborts updates in flight and starts no new ones. */
  stop(): Promise<void>;
}

export const SUMMARY_MIN_MESSAGES = 4;
const BATCH_TOKENS = 3_000;
const MAX_BACKLOG = 200;
const SUMMARY_OUTPUT_TOKENS = 600;

/** The first message id still in the last prompt's history window, if the manifest says. */
export function windowStart(manifest: ContextManifest): number | undefined {
  const shown = manifest.blocks.find((block) => block.kind === 'history');
  if (shown?.source.from_message_id !== undefined) return shown.source.from_message_id;
  const out = manifest.left_out.filter((block) => block.kind === 'history' && block.source.to_message_id !== undefined);
  if (out.length === 0) return undefined;
  return Math.max(...out.map((block) => block.source.to_message_id as number)) + 1;
}

/** Hidden messages (`/hide`) stay out of the summary as they stay out of the prompt. */
const summarizable = (message: MessageRecord): boolean =>
  message.role !== 'system' && message.status !== 'streaming' && message.content.trim() !== '' && !message.hidden;

export function createSummarizer(options: SummarizerOptions): Summarizer {
  const { store, models, logger, clock } = options;
  const minMessages = options.minMessages ?? SUMMARY_MIN_MESSAGES;
  const batchTokens = options.batchTokens ?? BATCH_TOKENS;
  const maxBacklog = options.maxBacklog ?? MAX_BACKLOG;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const controllers = new Set<AbortController>();
  let stopped = false;

  /** Folds one batch in; true when more fallen-out messages wait. */
  const updateOnce = async (sessionId: string): Promise<boolean> => {
    const summaries = store.summaries;
    const manifest = store.manifests.get(sessionId);
    if (!manifest) return false;
    const start = windowStart(manifest);
    const previous = summaries.get(sessionId);
    const covers = previous?.coversUpToMessageId ?? 0;
    if (start === undefined || start <= covers + 1) return false;
    // Only the newest part of a long backlog is read: a 10,000-message session must not be
    // listed after every reply. Twice the backlog leaves room for rows that are not summarised.
    const read = store.messages.between(sessionId, covers, start, maxBacklog * 2);
    let fallen = read.filter(summarizable);
    if (fallen.length < minMessages) return false;
    if (fallen.length > maxBacklog || read.length === maxBacklog * 2) {
      logger.info('summary backlog is long; summarising the newest part', { session: sessionId, skippedAtLeast: Math.max(0, fallen.length - maxBacklog) });
      fallen = fallen.slice(-maxBacklog);
    }
    const batch = takeBatch(fallen, batchTokens);
    const text = await ask(manifest.model, summaryRequest(previous?.text ?? '', batch));
    const current = summaries.get(sessionId);
    const unchanged =
      (current?.coversUpToMessageId ?? 0) === covers &&
      (current?.text ?? '') === (previous?.text ?? '') &&
      batch.every((m) => {
        const now = store.messages.get(m.id);
        return now?.content === m.content && !now.hidden;
      });
    // Messages were edited or hidden, or the summary reset, while we worked: start over from what is stored now.
    if (!unchanged) return true;
    const last = batch.at(-1) as MessageRecord;
    summaries.save({ sessionId, text, coversUpToMessageId: last.id, updatedAt: clock.now() });
    return batch.length < fallen.length;
  };

  const ask = async (modelId: string, messages: ReturnType<typeof summaryRequest>): Promise<string> => {
    const controller = new AbortController();
    controllers.add(controller);
    try {
      let text = '';
      const parts = models.stream({ modelId, messages, signal: controller.signal, maxOutputTokens: options.maxOutputTokens ?? SUMMARY_OUTPUT_TOKENS });
      for await (const part of parts) {
        if (part.type === 'text') text += part.text;
        if (part.type === 'error') throw new Error(part.message);
      }
      if (text.trim() === '') throw new Error(`${modelId} returned no summary text`);
      return text.trim();
    } finally {
      controllers.delete(controller);
    }
  };

  const run = async (sessionId: string): Promise<void> => {
    // Let the reply's own work (chat_end, the next prompt) go first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    do {
      again.delete(sessionId);
      if (stopped) return;
      try {
        if (await updateOnce(sessionId)) again.add(sessionId);
      } catch (error) {
        if (!stopped) logger.warn('updating the session summary failed; it is tried again after the next reply', { session: sessionId, error: String(error) });
        return;
      }
    } while (again.has(sessionId));
  };

  return {
    afterReply(sessionId) {
      if (stopped) return;
      if (running.has(sessionId)) {
        again.add(sessionId);
        return;
      }
      const job = run(sessionId).finally(() => running.delete(sessionId));
      running.set(sessionId, job);
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
    async stop() {
      stopped = true;
      for (const controller of controllers) controller.abort();
      await Promise.all(running.values());
    },
  };
}

/** Oldest first, up to `maxTokens` (at least one message). */
function takeBatch(messages: readonly MessageRecord[], maxTokens: number): MessageRecord[] {
  const batch: MessageRecord[] = [];
  let used = 0;
  for (const message of messages) {
    const tokens = estimateTokens(message.content);
    if (batch.length > 0 && used + tokens > maxTokens) break;
    batch.push(message);
    used += tokens;
  }
  return batch;
}
