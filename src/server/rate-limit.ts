/**
 * A per-connection limit on prompts: a token bucket refilled at `perSecond` up to `burst`. A
 * prompt over the limit is answered with a `✗` instead of reaching the engine. (Slow readers
 * are handled in client.ts: a client that falls `maxBufferedBytes` behind is disconnected.)
 */
import type { ClientSink, EngineApi } from '../engine/api.ts';
import type { Clock } from '../engine/ports.ts';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 20, burst: 40 };
export const RATE_LIMIT_NOTICE = '✗ Too many messages — slow down.';

export interface TokenBucket {
  /** Takes one token if there is one; `false` means over the limit. */
  take(): boolean;
}

export function createTokenBucket(limit: RateLimit, clock: Clock): TokenBucket {
  let available = limit.burst;
  let refilledAt = clock.now();
  return {
    take() {
      const now = clock.now();
      // max(0, …): a clock stepping backwards must not drain the bucket.
      available = Math.min(limit.burst, available + (Math.max(0, now - refilledAt) * limit.perSecond) / 1000);
      refilledAt = now;
      if (available < 1) return false;
      available -= 1;
      return true;
    },
  };
}

/**
 * The engine as one connection sees it, with that connection's prompts limited. Wrapping the
 * engine keeps the transport unchanged: each `connect` gets its own bucket.
 */
export function withRateLimit(engine: EngineApi, clock: Clock, limit: RateLimit = DEFAULT_RATE_LIMIT): EngineApi {
  return {
    start: () => engine.start(),
    shutdown: (options) => engine.shutdown(options),
    connect(profileId: string, sink: ClientSink) {
      const connection = engine.connect(profileId, sink);
      const bucket = createTokenBucket(limit, clock);
      return {
        handlePrompt: async (prompt) => {
          // `/cancel` always passes: a player over the limit can still stop a reply.
          if (prompt.trim() === '/cancel' || bucket.take()) return connection.handlePrompt(prompt);
          sink.send({ event: 'system_update', content: RATE_LIMIT_NOTICE, metadata: {} });
        },
        close: () => connection.close(),
      };
    },
  };
}
