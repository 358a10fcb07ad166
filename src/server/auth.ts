/**
 * Who may open a socket, decided at the HTTP upgrade. A token (`?token=` or
 * `Authorization: Bearer`) maps a client to its profile; on loopback a client without one is
 * the single `default` profile. Repeated failures from one address are answered 429 at once
 * for a growing time, without ever holding the event loop.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Clock, Logger, TokenStore } from '../engine/ports.ts';
import { DEFAULT_PROFILE_ID } from '../engine/profile-id.ts';

export type AuthResult =
  /** `tokenId`: the token the client came with, so its socket closes if it is revoked. */
  | { ok: true; profileId: string; tokenId?: string }
  /** 503 only when the token store itself failed (a locked or broken database). */
  | { ok: false; status: 401 | 429 | 503; reason: string; retryAfterSeconds?: number };

export interface FailureLimits {
  /** Failures from one address within `windowMs` before it is slowed. */
  maxFailures: number;
  windowMs: number;
  /** The first block; each later one doubles, up to `maxBlockMs`. */
  baseBlockMs: number;
  maxBlockMs: number;
  /** An address quiet for this long is forgotten, strikes and all. */
  forgetAfterMs: number;
  /** Addresses remembered at most; the least recently seen go first. */
  maxEntries: number;
}

export const DEFAULT_FAILURE_LIMITS: FailureLimits = {
  maxFailures: 5,
  windowMs: 60_000,
  baseBlockMs: 5_000,
  maxBlockMs: 10 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 10_000,
};

export interface UpgradeAuthOptions {
  /** Undefined when the store has no token support: only the loopback default works then. */
  tokens: Pick<TokenStore, 'identify'> | undefined;
  requireTokens: boolean;
  clock: Clock;
  logger?: Logger;
  limits?: Partial<FailureLimits>;
}

export interface UpgradeAuthenticator {
  authenticate(request: IncomingMessage): AuthResult;
  /** Addresses currently remembered (for tests and metrics). */
  trackedAddresses(): number;
}

interface Failures {
  count: number;
  windowStart: number;
  strikes: number;
  blockedUntil: number;
  lastSeen: number;
}

const MISSING = 'missing access token: connect with ?token=<token> in the URL or an "Authorization: Bearer <token>" header';
const WRONG = 'unknown or revoked access token';
const CONFLICTING = 'two different access tokens given (URL and Authorization header): send one';

export function createUpgradeAuthenticator(options: UpgradeAuthOptions): UpgradeAuthenticator {
  const limits: FailureLimits = { ...DEFAULT_FAILURE_LIMITS, ...options.limits };
  const { clock, logger } = options;
  // Map order is least recently seen first: every update deletes and re-inserts its entry.
  const failures = new Map<string, Failures>();

  const remember = (address: string, entry: Failures): void => {
    failures.delete(address);
    failures.set(address, entry);
    evict();
  };

  const evict = (): void => {
    const now = clock.now();
    for (const [address, entry] of failures) {
      const stale = now - entry.lastSeen > limits.forgetAfterMs && entry.blockedUntil <= now;
      if (!stale && failures.size <= limits.maxEntries) return;
      failures.delete(address);
    }
  };

  const fail = (address: string, status: 401, reason: string): AuthResult => {
    const now = clock.now();
    const previous = failures.get(address);
    const forgotten = !previous || now - previous.lastSeen > limits.forgetAfterMs;
    const entry: Failures = forgotten ? { count: 0, windowStart: now, strikes: 0, blockedUntil: 0, lastSeen: now } : { ...previous, lastSeen: now };
    if (now - entry.windowStart > limits.windowMs) {
      entry.count = 0;
      entry.windowStart = now;
    }
    entry.count += 1;
    if (entry.count >= limits.maxFailures) {
      entry.strikes += 1;
      entry.blockedUntil = now + Math.min(limits.maxBlockMs, limits.baseBlockMs * 2 ** (entry.strikes - 1));
      entry.count = 0;
      entry.windowStart = now;
      logger?.warn('slowing an address after repeated failed token attempts', { address, strikes: entry.strikes });
    }
    remember(address, entry);
    return { ok: false, status, reason };
  };

  const blocked = (address: string): AuthResult | undefined => {
    const entry = failures.get(address);
    const now = clock.now();
    if (!entry || entry.blockedUntil <= now) return undefined;
    const retryAfterSeconds = Math.ceil((entry.blockedUntil - now) / 1000);
    return { ok: false, status: 429, reason: `too many failed access attempts from this address; retry in ${retryAfterSeconds} s`, retryAfterSeconds };
  };

  const identify = (token: string): { id: string; profileId: string } | undefined | Error => {
    if (!options.tokens) return undefined;
    try {
      return options.tokens.identify(token);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };

  return {
    authenticate(request) {
      const address = request.socket.remoteAddress ?? 'unknown';
      const presented = presentedToken(request);
      if (presented === undefined && !options.requireTokens) return { ok: true, profileId: DEFAULT_PROFILE_ID };
      const slowed = blocked(address);
      if (slowed) return slowed;
      if (presented === undefined) return fail(address, 401, MISSING);
      if (presented === CONFLICT) return fail(address, 401, CONFLICTING);
      const identity = identify(presented);
      if (identity instanceof Error) {
        logger?.error('checking an access token failed', { error: identity.message });
        return { ok: false, status: 503, reason: 'the engine cannot check access tokens right now (database error); try again' };
      }
      if (identity === undefined) return fail(address, 401, WRONG);
      failures.delete(address);
      return { ok: true, profileId: identity.profileId, tokenId: identity.id };
    },
    trackedAddresses: () => failures.size,
  };
}

const CONFLICT = Symbol('conflicting tokens');

/** The token from the URL or the header; empty counts as none. */
function presentedToken(request: IncomingMessage): string | undefined | typeof CONFLICT {
  const fromQuery = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') || undefined;
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (fromQuery && bearer && fromQuery !== bearer) return CONFLICT;
  return fromQuery ?? bearer;
}

/** Whether binding `host` keeps the engine on this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Why the engine must not start on `host` (off loopback it is reachable by others, so it needs
 * at least one access token first), or `undefined` when starting is fine.
 */
export function refuseUnprotectedBind(host: string, tokens: Pick<TokenStore, 'hasActive'> | undefined): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  if (tokens?.hasActive()) return undefined;
  return `binding ${host} requires access tokens: run \`flower token create <profile>\` first`;
}

/** Off loopback every client needs a token; on loopback a client without one is `default`. */
export const requiresTokens = (host: string): boolean => !isLoopbackHost(host);
