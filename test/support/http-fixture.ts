/**
 * Shared plumbing of the provider wire-format test servers: a loopback HTTP server on an
 * OS-assigned port that records requests, counts client aborts and closes its sockets.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedHttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FixtureServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  requests: RecordedHttpRequest[];
  /** Streaming replies whose client went away before the reply ended. */
  readonly aborted: number;
  close(): Promise<void>;
}

export interface StreamingResponse {
  res: ServerResponse;
  /** True once the client closed the connection before the reply ended. */
  closed(): boolean;
}

export type FixtureHandler = (request: RecordedHttpRequest, res: ServerResponse, stream: () => StreamingResponse) => Promise<void> | void;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The request body as JSON when it parses, else as text; `undefined` when empty. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFixtureServer(handler: FixtureHandler): Promise<FixtureServer> {
  const requests: RecordedHttpRequest[] = [];
  const sockets = new Set<Socket>();
  const state = { aborted: 0 };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: RecordedHttpRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: await readBody(req) };
    requests.push(request);
    const stream = (): StreamingResponse => {
      let closed = false;
      res.on('close', () => {
        if (!res.writableEnded) {
          closed = true;
          state.aborted++;
        }
      });
      return { res, closed: () => closed };
    };
    try {
      await handler(request, res, stream);
    } catch (error) {
      if (!res.headersSent) json(res, 500, { error: { message: String(error) } });
      else res.end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    get aborted() {
      return state.aborted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
