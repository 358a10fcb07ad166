import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeServerEvent } from '../protocol/index.ts';
import { backoffDelay, createConnection, type ConnectionEvent, type ConnectionLike } from './connection.ts';
import { waitFor } from './testing/wait-for.ts';

interface TestEngine {
  port: number;
  received: string[];
  clients: Set<WebSocket>;
  close(): Promise<void>;
}

/** A tiny engine stand-in: sends the handshake, records frames, lets a test send anything. */
async function startEngine(port = 0, onConnect?: (socket: WebSocket) => void): Promise<TestEngine> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, path: '/ws/rpc' });
  const received: string[] = [];
  const clients = new Set<WebSocket>();
  wss.on('connection', (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('message', (data) => received.push(String(data)));
    socket.send(encodeServerEvent({ event: 'system_update', content: '✓ Engine ready.', metadata: { status: 'ok' } }));
    onConnect?.(socket);
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    received,
    clients,
    close: async () => {
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const open: ConnectionLike[] = [];
const engines: TestEngine[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  for (const e of engines.splice(0)) await e.close().catch(() => undefined);
});

function connect(port: number): { connection: ConnectionLike; events: ConnectionEvent[] } {
  const connection = createConnection({ url: `ws://127.0.0.1:${port}/ws/rpc`, minDelayMs: 20, maxDelayMs: 80 });
  const events: ConnectionEvent[] = [];
  connection.subscribe((e) => events.push(e));
  connection.start();
  open.push(connection);
  return { connection, events };
}

const serverEvents = (events: ConnectionEvent[]) => events.flatMap((e) => (e.type === 'event' ? [e.event] : []));

describe('connection', () => {
  it('receives parsed events and sends {"prompt"} frames', async () => {
    const engine = await startEngine();
    engines.push(engine);
    const { connection, events } = connect(engine.port);
    await waitFor(() => expect(connection.status().state).toBe('open'));
    await waitFor(() => expect(serverEvents(events)).toEqual([{ event: 'system_update', content: '✓ Engine ready.', metadata: { status: 'ok' } }]));
    expect(connection.send('/world select eldoria')).toBe(true);
    await waitFor(() => expect(engine.received).toEqual(['{"prompt":"/world select eldoria"}']));
  });

  it('drops and records bad frames and keeps reading', async () => {
    const engine = await startEngine(0, (socket) => {
      socket.send('not json');
      socket.send(JSON.stringify({ event: 'chat_end', payload: { content: '', metadata: { total_tokens: 'many' } } }));
      socket.send(Buffer.from([1, 2, 3]), { binary: true });
      socket.send(encodeServerEvent({ event: 'chat_end', content: '', metadata: { total_tokens: 3 } }));
    });
    engines.push(engine);
    const { events } = connect(engine.port);
    await waitFor(() => expect(serverEvents(events).map((e) => e.event)).toEqual(['system_update', 'chat_end']));
    const bad = events.filter((e) => e.type === 'bad_frame');
    expect(bad).toHaveLength(3);
    expect(bad[0]).toMatchObject({ error: 'frame is not JSON' });
  });

  it('reconnects with backoff after the engine restarts, and refuses to send meanwhile', async () => {
    const first = await startEngine();
    const { connection, events } = connect(first.port);
    await waitFor(() => expect(connection.status().state).toBe('open'));
    await first.close();
    await waitFor(() => expect(connection.status()).toMatchObject({ state: 'reconnecting' }));
    expect(connection.send('I wait')).toBe(false);
    await waitFor(() => expect(events.some((e) => e.type === 'status' && e.status.state === 'reconnecting' && e.status.attempt >= 2)).toBe(true));

    const second = await startEngine(first.port);
    engines.push(second);
    await waitFor(() => expect(connection.status().state).toBe('open'));
    await waitFor(() => expect(serverEvents(events).filter((e) => e.content === '✓ Engine ready.')).toHaveLength(2));
    expect(connection.send('I am back')).toBe(true);
    await waitFor(() => expect(second.received).toEqual(['{"prompt":"I am back"}']));
  });

  it('stops reconnecting once closed', async () => {
    const engine = await startEngine();
    engines.push(engine);
    const { connection } = connect(engine.port);
    await waitFor(() => expect(connection.status().state).toBe('open'));
    connection.close();
    expect(connection.status()).toEqual({ state: 'closed' });
    await waitFor(() => expect(engine.clients.size).toBe(0));
    expect(connection.send('late')).toBe(false);
  });

  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, 250, 5000))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });
});
