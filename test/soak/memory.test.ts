/**
 * Soak: many turns of several profiles through the real composition (same stack as the load test),
 * sampling this process's memory — the engine, server and store all live here — after a forced
 * GC. Growth from the end of the second quarter to the end must stay under a generous bound:
 * an unbounded leak per turn or per chunk shows up there, warm-up (JIT, caches) does not.
 * CI-sized by default; `FLOWER_SOAK_TURNS` or `FLOWER_SOAK_SECONDS` (see `npm run soak`) make it longer.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../e2e/helpers/flower.ts';
import type { TestClient } from '../e2e/helpers/ws-client.ts';
import { startOpenAiServer, type OpenAiServer } from '../support/openai-sse-server.ts';
import { newSession, numberedChunks, parseTurnPrompt, stage, startStack, turnPrompt, type Stack } from './stack.ts';

const env = (name: string): number | undefined => Number(process.env[name] ?? '') || undefined;
const SOAK_SECONDS = env('FLOWER_SOAK_SECONDS');
const SOAK_TURNS = env('FLOWER_SOAK_TURNS') ?? (SOAK_SECONDS ? Number.POSITIVE_INFINITY : 64);
const PROFILES = ['soak-a', 'soak-b', 'soak-c'];
const CHUNKS = 30;
/** Samples per run; the bound compares the one at the half with the last. */
const SAMPLES = 8;
/** Generous on purpose: CI runs are short, so only a clear leak (tens of KB per turn) crosses it. */
const MAX_HEAP_GROWTH_BYTES = 12 * 1024 * 1024;
const MAX_RSS_GROWTH_BYTES = 64 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Sample {
  turns: number;
  heapUsed: number;
  rss: number;
}

async function settledMemory(turns: number): Promise<Sample> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, rss } = process.memoryUsage();
  return { turns, heapUsed, rss };
}

let upstream: OpenAiServer;
let stack: Stack;
const sockets: TestClient[] = [];

beforeAll(async () => {
  upstream = await startOpenAiServer({
    reply: (body) => {
      const asked = parseTurnPrompt(body.messages.at(-1)?.content ?? '');
      return { chunks: asked ? numberedChunks(asked.profile, asked.turn, CHUNKS) : ['?'] };
    },
  });
  stack = await startStack({ upstreamUrl: upstream.url, profiles: PROFILES });
});
afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await stack?.close();
  await upstream?.close();
});

async function connect(profile: string): Promise<TestClient> {
  const client = await connectClient(`${stack.url}?token=${stack.tokens.get(profile)}`);
  sockets.push(client);
  return client;
}

/** Drops what a test client recorded, so the clients' own memory does not count. */
function forget(client: TestClient): void {
  client.events.length = 0;
  client.seek(0);
}

describe('soak: memory over many turns', () => {
  it('keeps memory flat from the second quarter to the end', async () => {
    const players = await Promise.all(PROFILES.map(async (profile) => ({ profile, driver: await connect(profile), watcher: await connect(profile) })));
    for (const { driver } of players) await stage(driver);

    const deadline = SOAK_SECONDS ? Date.now() + SOAK_SECONDS * 1000 : Number.POSITIVE_INFINITY;
    const samples: Sample[] = [await settledMemory(0)];
    // Samples every few rounds, or every few seconds when the soak runs for a duration.
    const sampleEvery = Number.isFinite(SOAK_TURNS) ? Math.max(1, Math.floor(SOAK_TURNS / SAMPLES)) : undefined;
    const sampleEveryMs = ((SOAK_SECONDS ?? 0) * 1000) / SAMPLES;
    let sampledAt = Date.now();
    const sampleDue = (): boolean => (sampleEvery ? turns % sampleEvery === 0 : Date.now() - sampledAt >= sampleEveryMs);
    let turns = 0;
    const more = (): boolean => turns < SOAK_TURNS && Date.now() < deadline;

    while (more()) {
      // One turn of every profile at once, each checked chunk by chunk at both of its clients.
      await Promise.all(
        players.map(async ({ profile, driver, watcher }) => {
          const turn = turns;
          forget(driver);
          forget(watcher);
          driver.send(turnPrompt(profile, turn));
          await driver.next('chat_end');
          await watcher.next('chat_end');
          const expected = numberedChunks(profile, turn, CHUNKS).join('');
          for (const client of [driver, watcher]) {
            const text = client.events.filter((event) => event.event === 'chat_chunk').map((event) => event.content).join('');
            expect(text, `${profile} turn ${turn}`).toBe(expected);
          }
          // A fresh session now and then: the session list and history windows stay in use.
          if (turn % 40 === 39) await newSession(driver);
        }),
      );
      turns++;
      upstream.requests.length = 0;
      if (sampleDue()) {
        samples.push(await settledMemory(turns));
        sampledAt = Date.now();
      }
    }
    samples.push(await settledMemory(turns));

    const half = samples.reduce((best, sample) => (Math.abs(sample.turns - turns / 2) < Math.abs(best.turns - turns / 2) ? sample : best));
    const last = samples.at(-1)!;
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    const table = samples.map((s) => `turn ${s.turns}: heap ${mb(s.heapUsed)}, rss ${mb(s.rss)}`).join('\n');
    console.log(`soak: ${turns} rounds × ${PROFILES.length} profiles × ${CHUNKS} chunks\n${table}`);
    expect(turns).toBeGreaterThan(8);
    expect(last.heapUsed - half.heapUsed, `heap growth over the second half\n${table}`).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    expect(last.rss - half.rss, `rss growth over the second half\n${table}`).toBeLessThan(MAX_RSS_GROWTH_BYTES);
  }, SOAK_SECONDS ? (SOAK_SECONDS + 300) * 1000 : 300_000);
});
