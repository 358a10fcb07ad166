/**
 * Embeds, in the background, every lore chunk and memory that has no vector for the current
 * model. It asks the store what is missing each time, so it resumes after a restart, follows
 * new content after `kick()`, and redoes a world after a re-sync. Between batches it yields to
 * the event loop, so turns are never delayed by it; a failing endpoint is retried later with
 * growing pauses, and never affects a turn.
 */
import type { EmbeddingModel, Logger, Store, VectorIndex, VectorKind } from '../ports.ts';

export interface EmbeddingProgress {
  kind: VectorKind;
  /** Rows of this kind that have a vector for the model. */
  done: number;
  total: number;
}

export interface EmbeddingIndexerOptions {
  store: Store;
  model: EmbeddingModel;
  logger: Logger;
  /** Called after each stored batch (the engine relays it to clients). */
  onProgress?: (progress: EmbeddingProgress) => void;
  /** Texts per embedding call. */
  batchSize?: number;
  /** First pause after a failure; doubles up to `maxRetryDelayMs`, resets after a success. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export interface EmbeddingIndexer {
  /** Starts working through what is missing; does nothing if already started. */
  start(): void;
  /** New lore or memories may be missing vectors: look again (no effect while pausing after a failure). */
  kick(): void;
  /** Stops after aborting any call in flight; resolves once the worker has stopped. */
  stop(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 32;
const DEFAULT_RETRY_DELAY_MS = 5_000;
const DEFAULT_MAX_RETRY_DELAY_MS = 5 * 60_000;
/** Newest memories first matter most to the next turn, so memories go before lore. */
const ORDER: readonly VectorKind[] = ['memory', 'lore'];

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const usable = (vector: number[] | undefined, length: number | undefined): vector is number[] =>
  vector !== undefined && vector.length > 0 && (length === undefined || vector.length === length) && vector.every(Number.isFinite) && vector.some((x) => x !== 0);

interface Batch {
  kind: VectorKind;
  rows: { rowId: number; text: string }[];
}

export function createEmbeddingIndexer(options: EmbeddingIndexerOptions): EmbeddingIndexer {
  const { store, model, logger } = options;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const firstDelay = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const maxDelay = options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
  // Rows that cannot be embedded (empty text, an unusable vector) are passed over until restart
  // rather than retried forever; they stay searchable by BM25.
  const skipped: Record<VectorKind, Set<number>> = { memory: new Set(), lore: new Set() };
  // Where each kind's scan has got to: new rows get higher ids, so a kick looks only past it.
  const cursor: Record<VectorKind, number> = { memory: 0, lore: 0 };
  let running = false;
  let worker: Promise<void> | undefined;
  let inFlight: AbortController | undefined;
  let wake: (() => void) | undefined;
  let pausing = false;

  const sleep = (ms: number | undefined): Promise<void> =>
    new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => done(), ms);
      const done = () => {
        if (timer) clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      wake = done;
    });

  const nextBatch = (vectors: VectorIndex): Batch | undefined => {
    for (const kind of ORDER) {
      const rows = vectors.missing(kind, model.id, batchSize, cursor[kind]);
      if (rows.length > 0) return { kind, rows };
    }
    return undefined;
  };

  /**
   * Past the cursors nothing is missing; rows below them can only lose their vectors if the
   * model's vectors were reset (it changed length). Counting tells; then scan again from the start.
   */
  const rescanNeeded = (vectors: VectorIndex): boolean => {
    const counts = vectors.counts(model.id);
    let again = false;
    for (const kind of ORDER) {
      if (cursor[kind] > 0 && counts[kind].embedded + skipped[kind].size < counts[kind].total) {
        cursor[kind] = 0;
        again = true;
      }
    }
    return again;
  };

  const skip = (kind: VectorKind, rowId: number, why: string) => {
    skipped[kind].add(rowId);
    logger.warn('row not embedded', { kind, rowId, model: model.id, why });
  };

  const embedBatch = async (vectors: VectorIndex, { kind, rows }: Batch): Promise<void> => {
    const texts = rows.filter((row) => row.text.trim() !== '' && !skipped[kind].has(row.rowId));
    for (const row of rows) if (row.text.trim() === '' && !skipped[kind].has(row.rowId)) skip(kind, row.rowId, 'empty text');
    const last = rows.at(-1)?.rowId ?? cursor[kind];
    if (texts.length === 0) {
      cursor[kind] = last;
      return;
    }
    inFlight = new AbortController();
    const embedded = await model.embed(
      texts.map((row) => row.text),
      inFlight.signal,
    );
    inFlight = undefined;
    if (!running) return;
    const length = embedded[0]?.length;
    store.transaction(() => {
      texts.forEach((row, index) => {
        const vector = embedded[index];
        if (usable(vector, length)) vectors.upsert(kind, row.rowId, model.id, vector);
        else skip(kind, row.rowId, 'the model gave no usable vector');
      });
    });
    cursor[kind] = last;
    const count = vectors.counts(model.id)[kind];
    options.onProgress?.({ kind, done: count.embedded, total: count.total });
  };

  const work = async (vectors: VectorIndex): Promise<void> => {
    let delay = firstDelay;
    while (running) {
      try {
        const batch = nextBatch(vectors);
        if (!batch) {
          if (!rescanNeeded(vectors)) await sleep(undefined);
          continue;
        }
        await embedBatch(vectors, batch);
        delay = firstDelay;
        await yieldToEventLoop();
      } catch (error) {
        inFlight = undefined;
        if (!running) break;
        logger.warn('background embedding failed; will retry', { model: model.id, error: String(error), retryInMs: delay });
        pausing = true;
        await sleep(delay);
        pausing = false;
        delay = Math.min(delay * 2, maxDelay);
      }
    }
  };

  return {
    start() {
      if (running) return;
      const vectors = store.vectors;
      if (!vectors) {
        logger.warn('embeddings configured but the store has no vector index; using BM25 only', { model: model.id });
        return;
      }
      running = true;
      worker = work(vectors);
    },
    kick() {
      if (!pausing) wake?.();
    },
    async stop() {
      running = false;
      inFlight?.abort(new Error('embedding indexer stopped'));
      wake?.();
      await worker;
      worker = undefined;
    },
  };
}
