/**
 * The transport: one HTTP server on loopback serving `GET /health` and the WebSocket endpoint
 * `/ws/rpc`. It checks the upgrade (path, Origin, profile), limits frame size and hands each
 * client to `attachClient`. No engine logic lives here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { EngineApi } from '../engine/api.ts';
import type { Logger } from '../engine/ports.ts';
import { MAX_FRAME_BYTES, RPC_PATH } from '../protocol/index.ts';
import { attachClient, frameEncoder, type ClientLimits, type ClientsShared } from './client.ts';
import { FrameScheduler } from './frame-scheduler.ts';
import { WriteBatcher } from './write-batcher.ts';
import { isAllowedOrigin } from './origin.ts';

export interface ServerOptions {
  host: string;
  /** 0 lets the OS pick a free port (tests). */
  port: number;
  engine: EngineApi;
  logger: Logger;
  /**
   * Who the client is: its profile, or a refusal with an HTTP status (401 bad token, 429
   * slowed down, 503 token store failed). Default: every client is the `default` profile.
   */
  authenticate?: (request: IncomingMessage) => UpgradeDecision;
  /** How long replies may keep streaming after `close()` before they are cancelled and stored. */
  shutdownGraceMs?: number;
  /**
   * Ids of the access tokens still valid, asked once per check of the open sockets: a socket
   * that came with a token no longer listed is closed (1008). Without it sockets are never checked.
   */
  activeTokenIds?: () => ReadonlySet<string>;
  /** How often open sockets' tokens are checked. */
  revalidateEveryMs?: number;
  limits?: Partial<ClientLimits>;
}

export type UpgradeDecision =
  /** `tokenId`: the token the client came with, checked again while its socket is open. */
  | { ok: true; profileId: string; tokenId?: string }
  | { ok: false; status: 401 | 429 | 503; reason: string; retryAfterSeconds?: number };

export interface RunningServer {
  /** `ws://host:port/ws/rpc` */
  url: string;
  host: string;
  port: number;
  /** Stops accepting, lets the engine finish or cancel replies, closes sockets with `code`. */
  close(code?: number): Promise<void>;
}

/** Listening failed for a reason the player can fix; printed as one line. */
export class ListenError extends Error {
  readonly expected = true;
  override name = 'ListenError';
}

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_POLICY = 1008;
export const REVOKED_REASON = 'access token revoked';
const DEFAULT_REVALIDATE_MS = 10_000;
const TOO_BIG_REASON = `frame larger than ${MAX_FRAME_BYTES / 1024 / 1024} MiB`;
const DEFAULT_LIMITS: ClientLimits = { maxBufferedBytes: 8 * 1024 * 1024, maxPendingFrames: 256 };
/** How long sockets get to finish the closing handshake before they are cut. */
const SOCKET_CLOSE_WAIT_MS = 2000;

const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { engine, logger } = options;
  const limits: ClientLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const authenticate = options.authenticate ?? ((): UpgradeDecision => ({ ok: true, profileId: 'default' }));
  const http = createServer(answerHttp);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: true });
  let port = options.port;
  let closing: Promise<void> | undefined;
  const writes = new WriteBatcher();
  const shared: ClientsShared = { encode: frameEncoder(), scheduler: new FrameScheduler(writes.flush), writes };
  const credentials = new Map<WebSocket, string>();
  const revalidate = setInterval(() => {
    if (credentials.size === 0 || !options.activeTokenIds) return;
    let active: ReadonlySet<string>;
    try {
      active = options.activeTokenIds();
    } catch (error) {
      // A locked or broken database is no reason to drop players: try again next time.
      logger.warn('could not check the open sockets\' access tokens', { error: String(error) });
      return;
    }
    for (const [client, tokenId] of credentials) {
      if (active.has(tokenId)) continue;
      credentials.delete(client);
      logger.info('closing a socket whose access token was revoked', { token: tokenId });
      client.close(CLOSE_POLICY, REVOKED_REASON);
    }
  }, options.revalidateEveryMs ?? DEFAULT_REVALIDATE_MS);
  revalidate.unref();

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (closing) return refuse(socket, 503, 'Service Unavailable', 'the engine is shutting down');
    if (path !== RPC_PATH) return refuse(socket, 404, 'Not Found', `the WebSocket endpoint is ${RPC_PATH}`);
    const origin = request.headers.origin;
    if (!isAllowedOrigin(origin, port)) {
      logger.warn('refused a WebSocket upgrade from a foreign origin', { origin });
      return refuse(socket, 403, 'Forbidden', 'origin not allowed');
    }
    const decision = authenticate(request);
    if (!decision.ok) {
      const retry: Record<string, string> = decision.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(decision.retryAfterSeconds) };
      return refuse(socket, decision.status, STATUS_TEXT[decision.status], decision.reason, retry);
    }
    wss.handleUpgrade(request, socket, head, (client) => {
      explainOversizedFrames(client);
      if (decision.tokenId !== undefined) {
        credentials.set(client, decision.tokenId);
        client.once('close', () => credentials.delete(client));
      }
      attachClient(client, engine, decision.profileId, logger, limits, shared, socket);
    });
  });

  await listen(http, options.host, options.port);
  port = (http.address() as AddressInfo).port;
  const url = `ws://${formatHost(options.host)}:${port}${RPC_PATH}`;

  const shutdown = async (code: number): Promise<void> => {
    clearInterval(revalidate);
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeIdleConnections();
    await engine.shutdown({ graceMs: options.shutdownGraceMs ?? 3000 });
    await closeClients(wss, code);
    wss.close();
    http.closeAllConnections();
    await stopped;
  };

  return {
    url,
    host: options.host,
    port,
    close(code = CLOSE_GOING_AWAY) {
      closing ??= shutdown(code);
      return closing;
    },
  };
}

function answerHttp(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const json = (status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD')) return json(200, { status: 'ok' });
  if (path === RPC_PATH) return json(426, { error: `${RPC_PATH} speaks WebSocket only` });
  json(404, { error: 'not found' });
}

const STATUS_TEXT = { 401: 'Unauthorized', 429: 'Too Many Requests', 503: 'Service Unavailable' } as const;

function refuse(socket: Duplex, status: number, statusText: string, body: string, headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** ws closes a socket that sends an oversized frame with 1009 but no reason; give the client one. */
function explainOversizedFrames(client: WebSocket): void {
  const close = client.close.bind(client);
  client.close = (code?: number, reason?: string | Buffer) => close(code, code === CLOSE_TOO_BIG && !reason ? TOO_BIG_REASON : reason);
}

function listen(http: ReturnType<typeof createServer>, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(listenError(error, host, port));
    http.once('error', onError);
    http.listen(port, host, () => {
      http.off('error', onError);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') return new ListenError(`port ${port} is already in use on ${host}; pass --port`);
  if (error.code === 'EACCES') return new ListenError(`no permission to listen on ${host}:${port}; pick a port above 1023 with --port`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new ListenError(`cannot listen on ${host}: no such local address; check --host`);
  return new ListenError(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`);
}

async function closeClients(wss: WebSocketServer, code: number): Promise<void> {
  const clients = [...wss.clients];
  const closed = clients.map((client) => new Promise<void>((resolve) => {
    if (client.readyState === WebSocket.CLOSED) return resolve();
    client.once('close', () => resolve());
  }));
  for (const client of clients) client.close(code, 'engine shutting down');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SOCKET_CLOSE_WAIT_MS);
  });
  await Promise.race([Promise.all(closed), timeout]);
  clearTimeout(timer);
  for (const client of clients) if (client.readyState !== WebSocket.CLOSED) client.terminate();
}
