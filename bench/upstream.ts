/**
 * The upstream for relay benchmarks: the OpenAI-format test server (test/support) behind a
 * pass-through TCP tap that notes when each marked chunk leaves for its reader. Chunk texts
 * carry markers `<<stream.index>>`; readers note when each arrives. Both sides use this
 * process's clock, so per-chunk latency = arrival − departure, whichever way the reader goes.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startOpenAiServer, type OpenAiServer } from '../test/support/openai-sse-server.ts';

export const UPSTREAM_MODEL = 'relay-model';
const MARKER = /<<(\d+)\.(\d+)>>/g;
const STREAM_REQUEST = /stream (\d+) of (\d+) chunks every (\d+) ms/;

/** The prompt that makes the upstream send `chunks` marked chunks for stream `id`. */
export const streamPrompt = (id: number, chunks: number, delayMs: number): string =>
  `stream ${id} of ${chunks} chunks every ${delayMs} ms`;

export const markerKey = (stream: number, index: number): string => `${stream}.${index}`;

/** Every marker in `text`, as `stream.index` keys. */
export function markersIn(text: string): string[] {
  return [...text.matchAll(MARKER)].map((m) => markerKey(Number(m[1]), Number(m[2])));
}

export interface Upstream {
  /** Base URL (ending in /v1) through the tap. */
  url: string;
  /** When each marker passed the tap, by `stream.index`. */
  departures: Map<string, number>;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const server: OpenAiServer = await startOpenAiServer({
    models: [{ id: UPSTREAM_MODEL }],
    reply(body) {
      const last = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      const asked = STREAM_REQUEST.exec(last);
      if (!asked) return { chunks: ['(no stream requested)'] };
      const [id, count, delay] = [Number(asked[1]), Number(asked[2]), Number(asked[3])];
      return { chunks: Array.from({ length: count }, (_, i) => `<<${id}.${i}>> `), delayMs: delay };
    },
  });
  const target = new URL(server.url);
  const departures = new Map<string, number>();
  const sockets = new Set<Socket>();
  const tap: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    let carry = '';
    upstream.on('data', (data: Buffer) => {
      const now = performance.now();
      const text = carry + data.toString('latin1');
      for (const key of markersIn(text)) if (!departures.has(key)) departures.set(key, now);
      carry = text.slice(-24);
      client.write(data);
    });
    client.on('data', (data: Buffer) => upstream.write(data));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => tap.listen(0, '127.0.0.1', resolve));
  const { port } = tap.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    departures,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tap.close(() => resolve()));
      await server.close();
    },
  };
}

/**
 * Reads one stream straight from the upstream (the baseline): POST chat/completions, parse
 * SSE, note when each marker arrives. Resolves with the arrival times by marker.
 */
export async function readDirect(upstream: Upstream, prompt: string, arrivals: Map<string, number>): Promise<void> {
  const response = await fetch(`${upstream.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: UPSTREAM_MODEL, stream: true, messages: [{ role: 'user', content: prompt }] }),
  });
  if (!response.ok || !response.body) throw new Error(`upstream answered ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body) {
    const now = performance.now();
    buffer += decoder.decode(bytes as Uint8Array, { stream: true });
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) {
      const data = event.replace(/^data: /, '');
      if (data === '[DONE]') continue;
      const parsed = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }> };
      const content = parsed.choices?.[0]?.delta?.content ?? '';
      for (const key of markersIn(content)) if (!arrivals.has(key)) arrivals.set(key, now);
    }
  }
}
