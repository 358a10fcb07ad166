import WebSocket from 'ws';
import { encodeClientFrame, parseServerFrame, type AnyServerEvent } from '../protocol/index.ts';
import type { ConnectionStatus } from './state/types.ts';

/**
 * The UI's only network code: one WebSocket to the engine, reconnected with exponential
 * backoff. Nothing is queued: `send` while disconnected returns false and the caller keeps
 * the text, so nothing typed is sent late or lost silently.
 */
export type ConnectionEvent =
  | { type: 'status'; status: ConnectionStatus }
  | { type: 'event'; event: AnyServerEvent }
  | { type: 'bad_frame'; error: string };

export type ConnectionListener = (event: ConnectionEvent) => void;

/** What the App needs of a connection; tests pass a fake. */
export interface ConnectionLike {
  /** Starts connecting; call after subscribing so the handshake is not missed. Idempotent. */
  start(): void;
  status(): ConnectionStatus;
  send(prompt: string): boolean;
  subscribe(listener: ConnectionListener): () => void;
  close(): void;
}

export interface ConnectionOptions {
  url: string;
  /** First retry delay; doubles per failed attempt up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A silent peer is dropped after this long without a pong. */
  heartbeatMs?: number;
}

export function backoffDelay(attempt: number, minDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, minDelayMs * 2 ** Math.max(0, attempt - 1));
}

export function createConnection(options: ConnectionOptions): ConnectionLike {
  const minDelayMs = options.minDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const listeners = new Set<ConnectionListener>();
  let status: ConnectionStatus = { state: 'connecting', attempt: 1 };
  let socket: WebSocket | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let started = false;
  let closed = false;
  /** Consecutive failed attempts since the last open. */
  let failures = 0;

  const emit = (event: ConnectionEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const setStatus = (next: ConnectionStatus): void => {
    status = next;
    emit({ type: 'status', status: next });
  };

  const stopHeartbeat = (): void => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
  };

  const startHeartbeat = (ws: WebSocket): void => {
    let answered = true;
    ws.on('pong', () => {
      answered = true;
    });
    heartbeat = setInterval(() => {
      if (!answered) {
        ws.terminate();
        return;
      }
      answered = false;
      ws.ping();
    }, heartbeatMs);
    heartbeat.unref();
  };

  const scheduleRetry = (reason: string): void => {
    if (closed) return;
    failures += 1;
    const retryInMs = backoffDelay(failures, minDelayMs, maxDelayMs);
    setStatus({ state: 'reconnecting', attempt: failures, retryInMs, reason });
    retryTimer = setTimeout(() => {
      retryTimer = null;
      open();
    }, retryInMs);
  };

  const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    if (isBinary) {
      emit({ type: 'bad_frame', error: 'binary frame (the protocol uses text frames)' });
      return;
    }
    const parsed = parseServerFrame(rawToString(data));
    if (parsed.ok) emit({ type: 'event', event: parsed.event });
    else emit({ type: 'bad_frame', error: parsed.error });
  };

  function open(): void {
    if (closed) return;
    if (status.state !== 'reconnecting') setStatus({ state: 'connecting', attempt: failures + 1 });
    const ws = new WebSocket(options.url);
    socket = ws;
    let lastError = 'connection closed';
    ws.on('open', () => {
      failures = 0;
      startHeartbeat(ws);
      setStatus({ state: 'open' });
    });
    ws.on('message', onMessage);
    ws.on('error', (error: Error) => {
      lastError = error.message || 'connection error';
    });
    ws.on('close', () => {
      stopHeartbeat();
      if (socket === ws) socket = null;
      scheduleRetry(lastError);
    });
  }

  return {
    start() {
      if (started || closed) return;
      started = true;
      open();
    },
    status: () => status,
    send(prompt) {
      if (!socket || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(encodeClientFrame(prompt));
      return true;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      stopHeartbeat();
      socket?.close();
      socket = null;
      setStatus({ state: 'closed' });
    },
  };
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
