import { afterEach, describe, expect, it } from 'vitest';
import { connect as connectTcp, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { TestClient, UpgradeRefused } from '../../test/e2e/helpers/ws-client.ts';
import { MAX_FRAME_BYTES } from '../protocol/index.ts';
import { startServer, type RunningServer, type ServerOptions } from './server.ts';
import { FakeEngine } from './testing/fake-engine.ts';
import { memoryLogger } from './testing/memory-logger.ts';

const running: RunningServer[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(overrides: Partial<ServerOptions> = {}) {
  const engine = new FakeEngine();
  const logger = memoryLogger();
  const server = await startServer({ host: '127.0.0.1', port: 0, engine, logger, shutdownGraceMs: 5, ...overrides });
  running.push(server);
  return { engine, logger, server };
}

async function client(url: string, options: { origin?: string } = {}): Promise<TestClient> {
  const connected = await TestClient.connect(url, options);
  clients.push(connected);
  await connected.next('sync_state', 'handshake');
  return connected;
}

const httpBase = (server: RunningServer) => `http://127.0.0.1:${server.port}`;

describe('http', () => {
  it('answers /health and 404 elsewhere', async () => {
    const { server } = await serve();
    const health = await fetch(`${httpBase(server)}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${httpBase(server)}/nope`)).status).toBe(404);
    expect((await fetch(`${httpBase(server)}/ws/rpc`)).status).toBe(426);
  });

  it('reports its URL and refuses WebSocket upgrades on other paths', async () => {
    const { server } = await serve();
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/ws/rpc`);
    await expect(TestClient.connect(`ws://127.0.0.1:${server.port}/other`)).rejects.toMatchObject({ status: 404 });
  });
});

describe('frames', () => {
  it('hands prompts to the engine in order and sends its events', async () => {
    const { engine, server } = await serve();
    const one = await client(server.url);
    expect(one.events.map((event) => event.event)).toEqual(['system_update', 'sync_state']);
    one.send('/world select a');
    one.sendRaw('plain text is a prompt');
    one.send('third');
    await one.next((event) => event.content === 'echo third');
    expect(engine.clients[0]?.prompts).toEqual(['/world select a', 'plain text is a prompt', 'third']);
    expect(engine.clients[0]?.profileId).toBe('default');
    expect(one.badFrames).toEqual([]);
  });

  it('answers malformed and binary frames with ✗ and keeps the socket usable', async () => {
    const { engine, server } = await serve();
    const one = await client(server.url);
    one.sendRaw('{"prompt":5}');
    expect((await one.next('system_update')).content).toMatch(/^✗ Malformed frame: "prompt" must be a string/);
    one.sendRaw('[]');
    expect((await one.next('system_update')).content).toMatch(/^✗ Malformed frame: expected a JSON object/);
    one.sendRaw(Buffer.from([1, 2, 3]), { binary: true });
    expect((await one.next('system_update')).content).toMatch(/^✗ Binary frames are not supported/);
    expect((await one.ask('still here')).content).toBe('echo still here');
    expect(engine.clients[0]?.prompts).toEqual(['still here']);
  });

  it('answers an engine failure with ✗ internal error, without a stack, and logs it', async () => {
    const { logger, server } = await serve();
    const one = await client(server.url);
    const reply = await one.ask('explode');
    expect(reply.content).toMatch(/^✗ Internal error/);
    expect(reply.content).not.toMatch(/boom|\.ts/);
    expect(logger.records.some((record) => record.level === 'error' && record.message === 'prompt handling failed')).toBe(true);
    expect((await one.ask('after')).content).toBe('echo after');
  });

  it('keeps reading frames while a reply streams', async () => {
    const { engine, server } = await serve();
    const one = await client(server.url);
    one.send('stream');
    await one.next('chat_chunk');
    one.send('/cancel');
    await one.next((event) => event.content === '✗ Stream cancelled by user.');
    const end = await one.next('chat_end');
    expect(end.metadata).toEqual({ total_tokens: 1 });
    expect(engine.clients[0]?.prompts).toEqual(['stream', '/cancel']);
  });
});

describe('limits', () => {
  it('closes only the socket that sent a frame over 1 MiB, with 1009 and a reason', async () => {
    const { engine, server } = await serve();
    const big = await client(server.url);
    const other = await client(server.url);
    big.sendRaw(JSON.stringify({ prompt: 'x'.repeat(MAX_FRAME_BYTES) }));
    const closed = await big.closed;
    expect(closed.code).toBe(1009);
    expect(closed.reason).toMatch(/larger than 1 MiB/);
    expect((await other.ask('fine')).content).toBe('echo fine');
    expect(engine.clients[0]?.prompts).toEqual([]);
    expect(engine.clients[0]?.closed).toBe(true);
  });

  it('accepts a frame just under the limit', async () => {
    const { engine, server } = await serve();
    const one = await client(server.url);
    const prompt = 'y'.repeat(MAX_FRAME_BYTES - 100);
    one.sendRaw(prompt);
    await one.next((event) => event.content.startsWith('echo y'));
    expect(engine.clients[0]?.prompts[0]?.length).toBe(prompt.length);
  });

  it('stops reading a client whose frames queue up, and loses none of them', async () => {
    const { engine, server } = await serve({ limits: { maxPendingFrames: 4 } });
    const one = await client(server.url);
    one.send('hold');
    await until(() => engine.clients[0]?.prompts.length === 1);
    const sent = Array.from({ length: 50 }, (_, i) => `p${i}`);
    for (const prompt of sent) one.send(prompt);
    engine.releaseHold();
    await one.next((event) => event.content === 'echo p49');
    expect(engine.clients[0]?.prompts).toEqual(['hold', ...sent]);
  });

  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    const { engine, logger, server } = await serve({ limits: { maxBufferedBytes: 256 * 1024 } });
    const raw = await rawUpgrade(server.port);
    raw.pause(); // never read again: the kernel buffers fill, then the server's
    await until(() => engine.clients.length === 1);
    const sink = engine.clients[0]!;
    // 64 MiB of chunks: far more than socket buffers hold.
    for (let i = 0; i < 64; i++) sink.sink.send({ event: 'chat_chunk', content: 'z'.repeat(1024 * 1024), metadata: {} });
    expect(logger.records.some((record) => record.message === 'disconnecting a slow client')).toBe(true);
    raw.resume();
    const closeFrame = await readUntilClose(raw);
    expect(closeFrame.code).toBe(1013);
    expect(closeFrame.reason).toMatch(/slow reader/);
    raw.destroy();
  });
});

describe('origin and profile checks', () => {
  it('refuses a foreign Origin with 403 and accepts no Origin and its own loopback origins', async () => {
    const { logger, server } = await serve();
    await expect(TestClient.connect(server.url, { origin: 'https://evil.example' })).rejects.toBeInstanceOf(UpgradeRefused);
    await expect(TestClient.connect(server.url, { origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(TestClient.connect(server.url, { origin: `http://127.0.0.1:${server.port + 1}` })).rejects.toMatchObject({ status: 403 });
    expect(logger.records.some((record) => record.message.includes('foreign origin'))).toBe(true);
    await client(server.url);
    await client(server.url, { origin: `http://127.0.0.1:${server.port}` });
    await client(server.url, { origin: `http://localhost:${server.port}` });
  });

  it('refuses with the status the authenticator gives, and passes the profile on', async () => {
    const { engine, server } = await serve({
      authenticate: (request) => {
        if (request.url?.includes('token=good')) return { ok: true, profileId: 'alice' };
        if (request.url?.includes('token=spam')) return { ok: false, status: 429, reason: 'slow down', retryAfterSeconds: 7 };
        return { ok: false, status: 401, reason: 'missing access token' };
      },
    });
    await expect(TestClient.connect(server.url)).rejects.toMatchObject({ status: 401 });
    await expect(TestClient.connect(`${server.url}?token=spam`)).rejects.toMatchObject({ status: 429 });
    await client(`${server.url}?token=good`);
    expect(engine.clients.map((one) => one.profileId)).toEqual(['alice']);
  });

  it('closes the sockets of a token that stops being valid, with 1008, and keeps the others', async () => {
    let revoked = false;
    let checks = 0;
    const { server } = await serve({
      revalidateEveryMs: 20,
      activeTokenIds: () => {
        checks++;
        if (checks === 1) throw new Error('database is locked');
        return new Set(revoked ? ['t-other'] : ['t-good', 't-other']);
      },
      authenticate: (request) => (request.url?.includes('token=good') ? { ok: true, profileId: 'alice', tokenId: 't-good' } : { ok: true, profileId: 'default' }),
    });
    const holder = await client(`${server.url}?token=good`);
    const local = await client(server.url);
    await until(() => checks >= 3);
    expect(holder.socket.readyState).toBe(WebSocket.OPEN);
    revoked = true;
    expect(await holder.closed).toEqual({ code: 1008, reason: 'access token revoked' });
    await local.ask('still here', (event) => event.content === 'echo still here');
  });
});

describe('listen and close', () => {
  it('explains a port in use in one line', async () => {
    const { server } = await serve();
    const engine = new FakeEngine();
    await expect(startServer({ host: '127.0.0.1', port: server.port, engine, logger: memoryLogger() })).rejects.toThrow(
      new RegExp(`^port ${server.port} is already in use on 127\\.0\\.0\\.1; pass --port$`),
    );
  });

  it('close() shuts the engine down, delivers its last events, then closes sockets with 1001', async () => {
    const { engine, server } = await serve({ shutdownGraceMs: 1234 });
    const one = await client(server.url);
    const two = await client(server.url);
    const closing = server.close();
    const [closedOne, closedTwo] = await Promise.all([one.closed, two.closed]);
    await closing;
    expect(engine.shutdownCalls).toEqual([{ graceMs: 1234 }]);
    expect(closedOne).toMatchObject({ code: 1001 });
    expect(closedTwo.code).toBe(1001);
    expect(one.events.at(-1)).toMatchObject({ event: 'chat_end' });
    await expect(fetch(`${httpBase(server)}/health`)).rejects.toThrow();
    expect(engine.clients.every((one) => one.closed)).toBe(true);
    await server.close(); // idempotent
  });
});

// ---------------------------------------------------------------- raw socket helpers

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Opens a WebSocket by hand so the test controls when (and whether) it reads. */
function rawUpgrade(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.on('error', reject);
    socket.once('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(`GET /ws/rpc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      let head = Buffer.alloc(0);
      const onData = (data: Buffer): void => {
        head = Buffer.concat([head, data]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        if (!head.subarray(0, 12).toString().includes('101')) return reject(new Error(head.toString()));
        socket.pause();
        socket.unshift(head.subarray(end + 4));
        resolve(socket);
      };
      socket.on('data', onData);
    });
  });
}

/** Reads unmasked server frames until the close frame; returns its code and reason. */
function readUntilClose(socket: Socket): Promise<{ code: number; reason: string }> {
  let buffer = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0]! & 0x0f;
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x8) return resolve({ code: payload.readUInt16BE(0), reason: payload.subarray(2).toString() });
      }
    });
  });
}
