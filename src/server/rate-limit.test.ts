import { describe, expect, it } from 'vitest';
import { createTokenBucket, RATE_LIMIT_NOTICE, withRateLimit } from './rate-limit.ts';
import { FakeEngine } from './testing/fake-engine.ts';
import type { AnyServerEvent } from '../protocol/index.ts';

function manualClock() {
  let time = 0;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('token bucket', () => {
  it('allows a burst, then refills at the rate, never above the burst', () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ perSecond: 20, burst: 40 }, clock);
    const takes = (n: number): number => Array.from({ length: n }, () => bucket.take()).filter(Boolean).length;
    expect(takes(50)).toBe(40);
    clock.advance(100); // 2 tokens
    expect(takes(5)).toBe(2);
    clock.advance(60_000);
    expect(takes(100)).toBe(40);
  });

  it('does not drain when the clock steps back', () => {
    const clock = manualClock();
    clock.advance(10_000);
    const bucket = createTokenBucket({ perSecond: 1, burst: 2 }, clock);
    clock.advance(-5_000);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });
});

describe('withRateLimit', () => {
  function connect() {
    const clock = manualClock();
    const inner = new FakeEngine();
    const engine = withRateLimit(inner, clock, { perSecond: 1, burst: 2 });
    const events: AnyServerEvent[] = [];
    const connection = engine.connect('alice', { send: (event) => events.push(event) });
    return { clock, inner, engine, events, connection };
  }

  it('answers prompts over the limit with a ✗ instead of handing them to the engine', async () => {
    const { inner, events, connection, clock } = connect();
    events.length = 0;
    for (const prompt of ['one', 'two', 'three', 'four']) await connection.handlePrompt(prompt);
    expect(inner.clients[0]?.prompts).toEqual(['one', 'two']);
    expect(events.map((e) => e.content)).toEqual(['echo one', 'echo two', RATE_LIMIT_NOTICE, RATE_LIMIT_NOTICE]);
    clock.advance(1_000);
    await connection.handlePrompt('five');
    expect(inner.clients[0]?.prompts).toEqual(['one', 'two', 'five']);
  });

  it('always lets /cancel through', async () => {
    const { inner, connection } = connect();
    for (let i = 0; i < 5; i++) await connection.handlePrompt('hi');
    await connection.handlePrompt(' /cancel ');
    expect(inner.clients[0]?.prompts.at(-1)).toBe(' /cancel ');
  });

  it('gives each connection its own bucket and passes the profile, close and shutdown through', async () => {
    const { inner, engine, connection } = connect();
    for (let i = 0; i < 3; i++) await connection.handlePrompt('a');
    const other = engine.connect('bob', { send: () => {} });
    await other.handlePrompt('b');
    expect(inner.clients.map((c) => [c.profileId, c.prompts])).toEqual([['alice', ['a', 'a']], ['bob', ['b']]]);
    other.close();
    expect(inner.clients[1]?.closed).toBe(true);
    await engine.shutdown({ graceMs: 5 });
    expect(inner.shutdownCalls).toEqual([{ graceMs: 5 }]);
  });
});
