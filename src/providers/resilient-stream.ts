/**
 * Runs one reply against a provider and turns the AI SDK's stream into our StreamParts, with
 * the robustness the player needs: retries with backoff on rate limits, server errors and
 * network errors before the first token (honouring Retry-After, capped); a stall timeout
 * that ends a silent reply while keeping what arrived; abort that closes the upstream request.
 *
 * The stream ends after exactly one `finish` or `error` part.
 */
import type { TextStreamPart, ToolSet } from 'ai';
import type { Clock, Logger, StreamPart } from '../engine/ports.ts';
import { classifyError, contentFilter, type ErrorContext } from './errors.ts';

export type SdkPart = TextStreamPart<ToolSet>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After is cut to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 30_000 };

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface ResilientStreamOptions {
  /** Starts one attempt; the signal aborts that attempt's HTTP request. */
  open(signal: AbortSignal): AsyncIterable<SdkPart>;
  /** The caller's signal (cancel). */
  signal: AbortSignal;
  context: ErrorContext;
  stallTimeoutMs: number;
  retry: RetryPolicy;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
}

type Step = { kind: 'part'; part: SdkPart } | { kind: 'done' } | { kind: 'thrown'; error: unknown } | { kind: 'stall' } | { kind: 'aborted' };
type AttemptOutcome = { retryInMs?: number };

export async function* resilientStream(options: ResilientStreamOptions): AsyncGenerator<StreamPart> {
  for (let attempt = 1; ; attempt++) {
    const outcome = yield* runAttempt(options, attempt);
    if (outcome.retryInMs === undefined) return;
    options.logger.warn('provider request failed before the first token; retrying', {
      provider: options.context.provider,
      model: options.context.modelId,
      attempt,
      retryInMs: outcome.retryInMs,
    });
    try {
      await options.sleep(outcome.retryInMs, options.signal);
    } catch {
      yield abortedPart(options.context);
      return;
    }
  }
}

async function* runAttempt(options: ResilientStreamOptions, attempt: number): AsyncGenerator<StreamPart, AttemptOutcome> {
  const { context } = options;
  const upstream = new AbortController();
  const forwardAbort = () => upstream.abort(options.signal.reason);
  options.signal.addEventListener('abort', forwardAbort, { once: true });
  if (options.signal.aborted) upstream.abort(options.signal.reason);
  let started = false;
  const iterator = options.open(upstream.signal)[Symbol.asyncIterator]();

  const failure = (error: unknown): { part?: StreamPart; outcome: AttemptOutcome } => {
    if (options.signal.aborted) return { part: abortedPart(context), outcome: {} };
    const classified = classifyError(error, context, options.clock.now());
    if (!started && classified.retryable && attempt < options.retry.maxAttempts) {
      const backoff = Math.min(options.retry.baseDelayMs * 2 ** (attempt - 1), options.retry.maxDelayMs);
      const retryInMs = classified.retryAfterMs === undefined ? backoff : Math.min(classified.retryAfterMs, options.retry.maxRetryAfterMs);
      return { outcome: { retryInMs } };
    }
    const tries = attempt > 1 ? ` (tried ${attempt} times)` : '';
    options.logger.warn('provider request failed', { provider: context.provider, model: context.modelId, kind: classified.kind, message: classified.message });
    return { part: { type: 'error', kind: classified.kind, message: classified.message + tries, provider: context.provider }, outcome: {} };
  };

  const stepper = createStepper(iterator, options.stallTimeoutMs, options.signal);
  try {
    for (;;) {
      const step = await stepper.next();
      if (step.kind === 'aborted') {
        yield abortedPart(context);
        return {};
      }
      if (step.kind === 'stall') {
        yield stallPart(context, options.stallTimeoutMs, started);
        return {};
      }
      if (step.kind === 'done') {
        // The SDK always ends with `finish`; a bare end means the connection just stopped.
        yield { type: 'finish', usage: {}, finishReason: 'unknown' };
        return {};
      }
      if (step.kind === 'thrown') {
        const { part, outcome } = failure(step.error);
        if (part) yield part;
        return outcome;
      }
      const { part } = step;
      if (part.type === 'text-delta' || part.type === 'reasoning-delta') {
        if (!part.text) continue;
        started = true;
        yield { type: part.type === 'text-delta' ? 'text' : 'reasoning', text: part.text };
      } else if (part.type === 'error') {
        const { part: errorPart, outcome } = failure(part.error);
        if (errorPart) yield errorPart;
        return outcome;
      } else if (part.type === 'abort') {
        yield abortedPart(context);
        return {};
      } else if (part.type === 'finish') {
        if (part.finishReason === 'content-filter') {
          const classified = contentFilter(context);
          yield { type: 'error', kind: classified.kind, message: classified.message, provider: context.provider };
          return {};
        }
        yield {
          type: 'finish',
          usage: { inputTokens: part.totalUsage.inputTokens, outputTokens: part.totalUsage.outputTokens },
          finishReason: part.finishReason,
        };
        return {};
      }
    }
  } finally {
    stepper.close();
    options.signal.removeEventListener('abort', forwardAbort);
    // Closes the upstream HTTP request if it is still open (stall, cancel, consumer stopped).
    upstream.abort();
    iterator.return?.().catch(() => undefined);
  }
}

/**
 * Waits for the upstream's next part, a stall or an abort. One timer (re-armed by `refresh()`,
 * counting only while a part is awaited) and one abort listener serve the whole attempt: per
 * part they cost more than the part itself on a busy relay.
 */
function createStepper(iterator: AsyncIterator<SdkPart>, stallTimeoutMs: number, signal: AbortSignal): { next(): Promise<Step>; close(): void } {
  let waiting: ((step: Step) => void) | undefined;
  // A late answer after a stall or an abort finds no one waiting and is dropped.
  const settle = (step: Step): void => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.(step);
  };
  const onAbort = (): void => settle({ kind: 'aborted' });
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => settle({ kind: 'stall' }), stallTimeoutMs);
  return {
    next: () =>
      new Promise<Step>((resolve) => {
        if (signal.aborted) return resolve({ kind: 'aborted' });
        waiting = resolve;
        timer.refresh();
        iterator.next().then(
          (result) => settle(result.done ? { kind: 'done' } : { kind: 'part', part: result.value }),
          (error: unknown) => settle({ kind: 'thrown', error }),
        );
      }),
    close() {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}

function abortedPart(context: ErrorContext): StreamPart {
  return { type: 'error', kind: 'aborted', message: `The reply from ${context.provider} was cancelled.`, provider: context.provider };
}

function stallPart(context: ErrorContext, stallTimeoutMs: number, started: boolean): StreamPart {
  const seconds = Math.round(stallTimeoutMs / 100) / 10;
  const kept = started ? ' The text received so far is kept.' : '';
  return {
    type: 'error',
    kind: 'stall',
    message: `${context.provider} (${context.label}) stopped sending for ${seconds} s, so the reply was ended.${kept} Try again, or raise stall_timeout_ms in the config for slow models.`,
    provider: context.provider,
  };
}
