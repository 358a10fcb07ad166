/**
 * Thousands of random and malformed frames at the real server (real socket, real SQLite file,
 * a local OpenAI-format upstream): random text, binary frames, broken and deeply nested JSON,
 * huge numbers, non-string prompts, prototype-pollution keys. The server must not crash, the
 * same socket must still answer `/help`, and a bystander client must be unharmed. Frames a
 * WebSocket server is required to reject (invalid UTF-8, over 1 MiB) go on their own sockets:
 * those close with the right code and nothing else is affected.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../src/protocol/index.ts';
import { connectClient, makeDataDir, prepareStage, startFlower, type RunningFlower } from '../e2e/helpers/flower.ts';
import type { TestClient } from '../e2e/helpers/ws-client.ts';
import { startOpenAiServer, type OpenAiServer } from '../support/openai-sse-server.ts';
import { FUZZ_FRAMES, FUZZ_SEED, FUZZ_TIMEOUT_MS, randomBytes, rawTextFrame } from './arbitraries.ts';

const ANSWER_WAIT_MS = 60_000;

let upstream: OpenAiServer;
let dir: ReturnType<typeof makeDataDir>;
let flower: RunningFlower | undefined;
const clients: TestClient[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  upstream = await startOpenAiServer({ reply: () => ({ chunks: ['Fuzzed ', 'reply.'] }) });
  dir = makeDataDir(upstream.url);
  flower = await startFlower(dir.dataDir, dir.configFile);
});
afterAll(async () => {
  for (const client of clients) client.socket.terminate();
  await flower?.close();
  await upstream.close();
  dir.remove();
  process.off('unhandledRejection', onUnhandled);
});

async function connect(): Promise<TestClient> {
  const client = await connectClient(flower!.url);
  clients.push(client);
  return client;
}

/** Sends `/help` and waits (longer than usual: thousands of frames may be queued ahead) for its answer. */
async function helpAnswer(client: TestClient): Promise<string> {
  const deadline = Date.now() + ANSWER_WAIT_MS;
  for (;;) {
    client.skip();
    client.send('/help');
    const answer = await client.next((event) => event.event === 'system_update' && (event.content.startsWith('Commands:') || event.content.includes('Too many')), '/help answer');
    if (answer.content.startsWith('Commands:')) return answer.content;
    // A rate limit answered instead: wait for it to refill, then ask again.
    if (Date.now() > deadline) throw new Error('still rate limited');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

type Frame = { text: string } | { binary: Uint8Array };

const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 5, arbitrary: rawTextFrame.map((text) => ({ text })) },
  { weight: 1, arbitrary: randomBytes.map((binary) => ({ binary })) },
);

const isOpen = (client: TestClient): boolean => client.socket.readyState === client.socket.OPEN;

describe('fuzz: random frames at the real server', () => {
  it(`survives ${FUZZ_FRAMES} random and malformed frames on one socket; the socket and a bystander still answer`, async () => {
    const fuzzer = await connect();
    const bystander = await connect();
    await prepareStage(fuzzer);

    const frames = fc.sample(frame, { numRuns: FUZZ_FRAMES, seed: FUZZ_SEED ?? 424242 });
    for (const [index, item] of frames.entries()) {
      if ('binary' in item) fuzzer.sendRaw(Buffer.from(item.binary), { binary: true });
      else fuzzer.sendRaw(item.text);
      // Let the socket drain now and then so the sender is not the one holding megabytes.
      if (index % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 5));
    }

    expect(await helpAnswer(fuzzer)).toMatch(/\/session new/);
    expect(isOpen(fuzzer)).toBe(true);
    expect(await helpAnswer(bystander)).toMatch(/\/session new/);
    expect(isOpen(bystander)).toBe(true);
    expect(fuzzer.badFrames).toEqual([]);
    expect(bystander.badFrames).toEqual([]);
    const notices = fuzzer.events.filter((event) => event.event === 'system_update').map((event) => event.content);
    expect(notices.some((text) => text.startsWith('✗ Binary frames are not supported'))).toBe(true);
    expect(notices.some((text) => text.startsWith('✗ Malformed frame'))).toBe(true);
    for (const text of notices) expect(text).not.toMatch(/Internal error|Something went wrong|\[object Object\]/);
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype untouched').toBeUndefined();

    const health = await fetch(`http://127.0.0.1:${flower!.port}/health`);
    expect(health.status).toBe(200);
    expect(unhandled).toEqual([]);
  }, FUZZ_TIMEOUT_MS);

  it('closes only the socket that sends invalid UTF-8 (1007) or a frame over 1 MiB (1009)', async () => {
    const bystander = await connect();
    const badUtf8 = await connect();
    badUtf8.sendRaw(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    expect((await badUtf8.closed).code).toBe(1007);

    const huge = await connect();
    huge.sendRaw(`{"prompt": ${'['.repeat(MAX_FRAME_BYTES)}}`);
    expect((await huge.closed).code).toBe(1009);

    // Just under the limit: the deepest nesting that fits in one frame.
    const deep = await connect();
    const depth = Math.floor((MAX_FRAME_BYTES - 64) / 2);
    deep.sendRaw(`{"x": ${'['.repeat(depth)}${']'.repeat(depth)}, "prompt": "/help"}`);
    deep.sendRaw(`${'{"a":'.repeat(Math.floor(depth / 3))}1${'}'.repeat(Math.floor(depth / 3))}`);
    expect(await helpAnswer(deep)).toMatch(/^Commands:/);
    expect(isOpen(deep)).toBe(true);

    expect(await helpAnswer(bystander)).toMatch(/^Commands:/);
    const fresh = await connect();
    expect(fresh.events[0]?.content).toBe('✓ Engine ready.');
    expect(unhandled).toEqual([]);
  }, 120_000);

  it('leaves a sound database behind', async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    const path = flower!.paths.database;
    await flower!.close();
    flower = undefined;
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.prepare("SELECT count(*) AS n FROM messages WHERE status = 'streaming'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
