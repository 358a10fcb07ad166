/**
 * Runs one reply against a provider and turns the AI SDK's stream into our StreamParts, with
 * the robustness the player needs: retries with backoff on rate limits, server errors and
 * network errors before the first token (honouring Retry-After, capped); a stall timeout
 * that ends a silent reply while keeping what arrived; abort that closes the upstream request.
 *
 * The stream ends after exactly one `finish` or `error` part.
 */
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { Clock, Logger, StreamPart } from '../engine/ports.ts';
import { classifyError, contentFilter, type ErrorContext } from './errors.ts';

/** What a language model's `doStream` returns: its parts, read as they come. */
export type UpstreamParts = ReadableStream<LanguageModelV3StreamPart>;

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
  /** Starts one attempt (resolves once the response has begun); the signal aborts that attempt's HTTP request. */
  open(signal: AbortSignal): Promise<UpstreamParts>;
  /** The caller's signal (cancel). */
  signal: AbortSignal;
  context: ErrorContext;
  stallTimeoutMs: number;
  retry: RetryPolicy;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
}

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

/**
 * One request. A part costs one `read()` of the model's stream and nothing else: the stall timer
 * (re-armed with `refresh()`) and the abort listener serve the whole attempt, and either one
 * ends a read that waits on a silent upstream by aborting the request and cancelling the reader.
 */
async function* runAttempt(options: ResilientStreamOptions, attempt: number): AsyncGenerator<StreamPart, AttemptOutcome> {
  const { context } = options;
  const upstream = new AbortController();
  let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart> | undefined;
  let stalled = false;
  // The stall timer counts only while the upstream is awaited, not while the consumer holds a part.
  let awaiting = true;
  const stop = (): void => {
    upstream.abort(options.signal.reason);
    // A pending read settles at once ({done: true}) instead of waiting for the aborted fetch.
    reader?.cancel().catch(() => undefined);
  };
  const timer = setTimeout(() => {
    if (!awaiting) return;
    stalled = true;
    stop();
  }, options.stallTimeoutMs);
  options.signal.addEventListener('abort', stop, { once: true });
  if (options.signal.aborted) stop();
  let started = false;

  const failure = (error: unknown): { part?: StreamPart; outcome: AttemptOutcome } => {
    if (options.signal.aborted) return { part: abortedPart(context), outcome: {} };
    if (stalled) return { part: stallPart(context, options.stallTimeoutMs, started), outcome: {} };
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
  const thrown = function* (error: unknown): Generator<StreamPart, AttemptOutcome> {
    const { part, outcome } = failure(error);
    if (part) yield part;
    return outcome;
  };

  try {
    let parts: UpstreamParts;
    try {
      parts = await options.open(upstream.signal);
    } catch (error) {
      return yield* thrown(error);
    }
    reader = parts.getReader();
    if (upstream.signal.aborted) stop();
    for (;;) {
      timer.refresh();
      awaiting = true;
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (error) {
        return yield* thrown(error);
      }
      awaiting = false;
      if (options.signal.aborted) {
        yield abortedPart(context);
        return {};
      }
      if (stalled) {
        yield stallPart(context, options.stallTimeoutMs, started);
        return {};
      }
      if (result.done) {
        // A model's stream always ends with `finish`; a bare end means the connection just stopped.
        yield { type: 'finish', usage: {}, finishReason: 'unknown' };
        return {};
      }
      const part = result.value;
      if (part.type === 'text-delta' || part.type === 'reasoning-delta') {
        if (!part.delta) continue;
        started = true;
        yield { type: part.type === 'text-delta' ? 'text' : 'reasoning', text: part.delta };
      } else if (part.type === 'error') {
        return yield* thrown(part.error);
      } else if (part.type === 'finish') {
        if (part.finishReason.unified === 'content-filter') {
          const classified = contentFilter(context);
          yield { type: 'error', kind: classified.kind, message: classified.message, provider: context.provider };
          return {};
        }
        yield {
          type: 'finish',
          usage: { inputTokens: part.usage.inputTokens.total, outputTokens: part.usage.outputTokens.total },
          finishReason: part.finishReason.unified,
        };
        return {};
      }
    }
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', stop);
    // Closes the upstream HTTP request if it is still open (stall, cancel, consumer stopped).
    upstream.abort();
    reader?.cancel().catch(() => undefined);
  }
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
