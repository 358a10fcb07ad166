import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { TokenStore } from '../engine/ports.ts';
import { createUpgradeAuthenticator, isLoopbackHost, refuseUnprotectedBind, requiresTokens, type UpgradeAuthOptions } from './auth.ts';
import { memoryLogger } from './testing/memory-logger.ts';

const ALICE = `flw_${'a'.repeat(43)}`;
const BOB = `flw_${'b'.repeat(43)}`;

/** A token store fake: two known tokens, and a switch to make it fail like a locked database. */
function fakeTokens() {
  const known = new Map([[ALICE, 'alice'], [BOB, 'bob']]);
  const seen: string[] = [];
  let broken = false;
  const tokens: Pick<TokenStore, 'identify'> = {
    identify(token) {
      seen.push(token);
      if (broken) throw new Error('database is locked');
      const profileId = known.get(token);
      return profileId === undefined ? undefined : { id: `id-${profileId}`, profileId };
    },
  };
  return { tokens, seen, breakIt: () => (broken = true) };
}

function request(options: { url?: string; authorization?: string; address?: string } = {}): IncomingMessage {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  return { url: options.url ?? '/ws/rpc', headers, socket: { remoteAddress: options.address ?? '203.0.113.7' } } as unknown as IncomingMessage;
}

function setup(overrides: Partial<UpgradeAuthOptions> = {}) {
  let time = 1_000_000;
  const fake = fakeTokens();
  const logger = memoryLogger();
  const auth = createUpgradeAuthenticator({
    tokens: fake.tokens,
    requireTokens: true,
    clock: { now: () => time },
    logger,
    limits: { maxFailures: 3, windowMs: 60_000, baseBlockMs: 10_000, maxBlockMs: 40_000, forgetAfterMs: 3_600_000, maxEntries: 100 },
    ...overrides,
  });
  return { auth, fake, logger, advance: (ms: number) => (time += ms) };
}

describe('upgrade authenticator', () => {
  it("names the token a client came with, so its socket can be closed when it is revoked", () => {
    const { auth } = setup();
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${ALICE}` }))).toEqual({ ok: true, profileId: 'alice', tokenId: 'id-alice' });
  });

  it('gives loopback clients without a token nothing to check again', () => {
    const { auth } = setup({ requireTokens: false });
    expect(auth.authenticate(request({ address: '127.0.0.1' }))).toEqual({ ok: true, profileId: 'default' });
  });

  it('accepts a token from ?token= or an Authorization: Bearer header, mapping it to its profile', () => {
    const { auth } = setup();
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${ALICE}` }))).toMatchObject({ ok: true, profileId: 'alice' });
    expect(auth.authenticate(request({ authorization: `Bearer ${BOB}` }))).toMatchObject({ ok: true, profileId: 'bob' });
    expect(auth.authenticate(request({ authorization: `bearer  ${BOB} ` }))).toMatchObject({ ok: true, profileId: 'bob' });
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${ALICE}`, authorization: `Bearer ${ALICE}` }))).toMatchObject({ ok: true, profileId: 'alice' });
  });

  it('refuses a missing token with 401 when tokens are required, saying how to pass one', () => {
    const { auth } = setup();
    for (const missing of [request(), request({ url: '/ws/rpc?token=' }), request({ authorization: 'Basic abc' })]) {
      expect(auth.authenticate(missing)).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('?token=') });
    }
  });

  it('refuses a wrong token with 401, also on loopback where tokens are optional', () => {
    for (const requireTokens of [true, false]) {
      const { auth } = setup({ requireTokens });
      expect(auth.authenticate(request({ url: '/ws/rpc?token=flw_nope' }))).toEqual({ ok: false, status: 401, reason: 'unknown or revoked access token' });
    }
  });

  it('refuses two different tokens in URL and header', () => {
    const { auth } = setup();
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${ALICE}`, authorization: `Bearer ${BOB}` }))).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('two different') });
  });

  it('on loopback, a client without a token is the default profile and a valid token still picks its profile', () => {
    const { auth } = setup({ requireTokens: false });
    expect(auth.authenticate(request({ address: '127.0.0.1' }))).toEqual({ ok: true, profileId: 'default' });
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${BOB}` }))).toMatchObject({ ok: true, profileId: 'bob' });
  });

  it('without token support, loopback still gives default and any token is refused', () => {
    const { auth } = setup({ tokens: undefined, requireTokens: false });
    expect(auth.authenticate(request())).toEqual({ ok: true, profileId: 'default' });
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${ALICE}` }))).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 429 at once after repeated failures from one address, even to a right token, then lets it in after the block', () => {
    const { auth, fake, advance, logger } = setup();
    const wrong = request({ url: '/ws/rpc?token=flw_wrong' });
    expect([1, 2, 3].map(() => auth.authenticate(wrong))).toMatchObject([{ status: 401 }, { status: 401 }, { status: 401 }]);
    const checked = fake.seen.length;
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${ALICE}` }))).toEqual({ ok: false, status: 429, reason: expect.stringContaining('retry in 10 s'), retryAfterSeconds: 10 });
    expect(fake.seen.length, 'a blocked address gets no token checks').toBe(checked);
    // Other addresses are unaffected.
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${ALICE}`, address: '198.51.100.1' }))).toMatchObject({ ok: true });
    expect(logger.records.some((r) => r.message.includes('slowing an address'))).toBe(true);

    advance(9_999);
    expect(auth.authenticate(wrong)).toMatchObject({ status: 429, retryAfterSeconds: 1 });
    advance(1);
    expect(auth.authenticate(request({ url: `/ws/rpc?token=${ALICE}` }))).toMatchObject({ ok: true, profileId: 'alice' });
  });

  it('doubles the block for each new round of failures, up to the cap', () => {
    const { auth, advance } = setup();
    const wrong = request({ authorization: 'Bearer flw_wrong' });
    const blocks: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3; i++) auth.authenticate(wrong);
      const slowed = auth.authenticate(wrong);
      expect(slowed).toMatchObject({ status: 429 });
      const seconds = slowed.ok ? 0 : (slowed.retryAfterSeconds ?? 0);
      blocks.push(seconds);
      advance(seconds * 1000);
    }
    expect(blocks).toEqual([10, 20, 40, 40]);
  });

  it('counts failures within the window only', () => {
    const { auth, advance } = setup();
    const wrong = request({ authorization: 'Bearer flw_wrong' });
    auth.authenticate(wrong);
    auth.authenticate(wrong);
    advance(60_001);
    expect(auth.authenticate(wrong)).toMatchObject({ status: 401 });
    expect(auth.authenticate(wrong)).toMatchObject({ status: 401 });
  });

  it('a success clears the address record', () => {
    const { auth } = setup();
    auth.authenticate(request({ authorization: 'Bearer flw_wrong' }));
    expect(auth.trackedAddresses()).toBe(1);
    auth.authenticate(request({ authorization: `Bearer ${ALICE}` }));
    expect(auth.trackedAddresses()).toBe(0);
  });

  it('keeps the failure table bounded: caps entries and forgets quiet addresses', () => {
    const { auth, advance } = setup({ limits: { maxFailures: 3, maxEntries: 50, forgetAfterMs: 60_000, windowMs: 60_000, baseBlockMs: 10_000, maxBlockMs: 40_000 } });
    for (let i = 0; i < 1_000; i++) auth.authenticate(request({ authorization: 'Bearer flw_wrong', address: `10.0.${i >> 8}.${i & 255}` }));
    expect(auth.trackedAddresses()).toBe(50);
    advance(60_001);
    auth.authenticate(request({ authorization: 'Bearer flw_wrong', address: '192.0.2.1' }));
    expect(auth.trackedAddresses()).toBe(1);
  });

  it('answers 503, not a crash, when the token store fails', () => {
    const { auth, fake, logger } = setup();
    fake.breakIt();
    expect(auth.authenticate(request({ authorization: `Bearer ${ALICE}` }))).toMatchObject({ ok: false, status: 503 });
    expect(logger.records.some((r) => r.level === 'error')).toBe(true);
  });
});

describe('loopback binding', () => {
  it('tells loopback hosts from reachable ones', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1', 'app.localhost']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '[::]', '192.168.1.5', '10.0.0.1', 'example.com', '128.0.0.1', '127.example.com', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(requiresTokens('0.0.0.0')).toBe(true);
    expect(requiresTokens('127.0.0.1')).toBe(false);
  });

  it('refuses to start off loopback until an active token exists', () => {
    const none = { hasActive: () => false };
    const some = { hasActive: () => true };
    expect(refuseUnprotectedBind('0.0.0.0', none)).toBe('binding 0.0.0.0 requires access tokens: run `flower token create <profile>` first');
    expect(refuseUnprotectedBind('0.0.0.0', undefined)).toMatch(/requires access tokens/);
    expect(refuseUnprotectedBind('0.0.0.0', some)).toBeUndefined();
    expect(refuseUnprotectedBind('127.0.0.1', none)).toBeUndefined();
  });
});
