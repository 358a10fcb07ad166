/** Hostile and broken input at the socket edge, against the real engine and store. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiServer, type OpenAiServer } from '../support/openai-sse-server.ts';
import { MAX_FRAME_BYTES } from '../../src/protocol/index.ts';
import { connectClient, makeDataDir, startFlower, type RunningFlower } from './helpers/flower.ts';
import { TestClient } from './helpers/ws-client.ts';

let upstream: OpenAiServer;
let dir: ReturnType<typeof makeDataDir>;
let flower: RunningFlower;
const clients: TestClient[] = [];

beforeAll(async () => {
  upstream = await startOpenAiServer();
});
afterAll(() => upstream.close());

beforeAll(async () => {
  dir = makeDataDir(upstream.url);
  flower = await startFlower(dir.dataDir, dir.configFile);
});
afterAll(async () => {
  await flower.close();
  dir.remove();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.socket.terminate();
});

async function connect(options: { origin?: string } = {}): Promise<TestClient> {
  const client = await connectClient(flower.url, options);
  clients.push(client);
  return client;
}

describe('end to end: the socket edge', () => {
  it('answers malformed frames with ✗ and keeps the socket usable', async () => {
    const client = await connect();
    client.skip();
    client.sendRaw('{"prompt":5}');
    expect((await client.next('system_update')).content).toMatch(/^✗ Malformed frame: "prompt" must be a string/);
    client.sendRaw('[]');
    expect((await client.next('system_update')).content).toMatch(/^✗ Malformed frame/);
    client.sendRaw(Buffer.from([0xde, 0xad]), { binary: true });
    expect((await client.next('system_update')).content).toMatch(/^✗ Binary frames/);
    client.sendRaw('/nonsense');
    expect((await client.next('system_update')).content).toMatch(/^✗/);
    const ok = await client.ask('/world select harbor');
    expect(ok).toMatchObject({ content: 'Active world set to harbor' });
    expect(client.badFrames).toEqual([]);
  });

  it('closes only the socket that sends a frame over 1 MiB', async () => {
    const big = await connect();
    const other = await connect();
    big.sendRaw(JSON.stringify({ prompt: 'a'.repeat(MAX_FRAME_BYTES + 10) }));
    const closed = await big.closed;
    expect(closed.code).toBe(1009);
    expect(closed.reason).toMatch(/1 MiB/);
    expect((await other.ask('/character select tom')).content).toBe('Active character set to tom');
  });

  it('refuses a foreign Origin with 403, and accepts no Origin and its own loopback origin', async () => {
    await expect(TestClient.connect(flower.url, { origin: 'https://attacker.example' })).rejects.toMatchObject({ status: 403 });
    await expect(TestClient.connect(flower.url, { origin: 'null' })).rejects.toMatchObject({ status: 403 });
    const own = await connect({ origin: `http://127.0.0.1:${flower.port}` });
    const local = await connect({ origin: `http://localhost:${flower.port}` });
    const none = await connect();
    for (const client of [own, local, none]) expect(client.events[0]?.content).toBe('✓ Engine ready.');
  });
});
