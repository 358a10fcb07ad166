import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeServerEvent, type AnyServerEvent } from '../protocol/index.ts';
import { frameEncoder } from './client.ts';
import { startServer, type RunningServer } from './server.ts';
import { FakeEngine } from './testing/fake-engine.ts';
import { memoryLogger } from './testing/memory-logger.ts';

const chunk = (content: string): AnyServerEvent => ({ event: 'chat_chunk', content, metadata: { model: 'm', tokens_per_second: 1.5, world_id: 'w', session_id: 's' } });

describe('frameEncoder', () => {
  it('encodes the wire envelope, once for the same event sent to several clients', () => {
    const encode = frameEncoder();
    const event = chunk('The door creaks — «open».');
    const first = encode(event);
    expect(first.toString('utf8')).toBe(encodeServerEvent(event));
    expect(encode(event)).toBe(first);
  });

  it('encodes each new event anew, even one equal to the last', () => {
    const encode = frameEncoder();
    const first = encode(chunk('a'));
    const second = encode(chunk('b'));
    const again = encode(chunk('b'));
    expect(second.toString('utf8')).toBe(encodeServerEvent(chunk('b')));
    expect(again).not.toBe(second);
    expect(first.toString('utf8')).toBe(encodeServerEvent(chunk('a')));
  });
});

describe('sending to clients', () => {
  const running: RunningServer[] = [];
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  it('sends a broadcast event to every client as one UTF-8 text frame each, in order', async () => {
    const engine = new FakeEngine();
    const server = await startServer({ host: '127.0.0.1', port: 0, engine, logger: memoryLogger(), shutdownGraceMs: 5 });
    running.push(server);
    const received = [[], []] as Array<Array<{ text: string; isBinary: boolean }>>;
    for (const frames of received) {
      const socket = new WebSocket(server.url);
      sockets.push(socket);
      socket.on('message', (data: Buffer, isBinary) => frames.push({ text: data.toString('utf8'), isBinary }));
      await new Promise((resolve) => socket.once('open', resolve));
    }
    await expect.poll(() => received.map((frames) => frames.length)).toEqual([2, 2]);
    const events = [chunk('Der Wind heult. '), chunk('风在呼啸。'), { event: 'chat_end', content: '', metadata: { total_tokens: 7 } } as AnyServerEvent];
    for (const event of events) engine.broadcast(event);
    await expect.poll(() => received.map((frames) => frames.length)).toEqual([5, 5]);
    for (const frames of received) {
      expect(frames.slice(2)).toEqual(events.map((event) => ({ text: encodeServerEvent(event), isBinary: false })));
    }
  });
});
