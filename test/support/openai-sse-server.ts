/**
 * A local HTTP server that speaks the OpenAI chat-completions wire format (SSE streaming,
 * `GET /models`), scripted per request. Used by end-to-end tests, the tmux UI test and the
 * benchmark; nothing here reaches the internet.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody, sleep } from './http-fixture.ts';

export interface ScriptedReply {
  /** Text pieces sent as `choices[0].delta.content`, one SSE event each. */
  chunks?: string[];
  /** Reasoning pieces sent first as `delta.reasoning_content` (DeepSeek style). */
  reasoning?: string[];
  /** Pause before each chunk, in ms. */
  delayMs?: number;
  /** Sent in a final chunk with empty choices, as OpenAI does with `include_usage`. */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Non-200 status: the body is `errorBody` (or an OpenAI-style error object). */
  status?: number;
  errorBody?: unknown;
  headers?: Record<string, string>;
  /** Stop sending after this many chunks and keep the connection open (a stall). */
  stallAfter?: number;
  /** Destroy the socket after this many chunks (a dropped connection). */
  dropAfter?: number;
  /** Send this raw text instead of well-formed SSE events (garbage upstream). */
  raw?: string;
  /** Field carrying reasoning pieces: DeepSeek's `reasoning_content` (default) or `reasoning` (OpenRouter, Groq). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** Where usage goes: a final chunk with empty choices (default), on the finish chunk (Mistral) or Groq's `x_groq.usage` on it. */
  usageStyle?: 'final-chunk' | 'with-finish' | 'x_groq';
  /** `finish_reason` of the last chunk (default `stop`; `content_filter` for a refusal). */
  finishReason?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface OpenAiModelEntry {
  id: string;
  name?: string;
  /** OpenRouter style: USD per token, as strings. */
  pricing?: { prompt: string; completion: string };
  context_length?: number;
}

export interface OpenAiServerOptions {
  models?: OpenAiModelEntry[];
  reply?: (body: { model: string; messages: Array<{ role: string; content: string }>; stream?: boolean }, index: number) => ScriptedReply;
  /** Status for `GET /models` (e.g. 401 for a bad key). */
  modelsStatus?: number;
  /** Extra `GET` routes answered with this JSON body, by exact path (e.g. Ollama's `/api/tags`). */
  routes?: Record<string, unknown>;
}

export interface OpenAiServer {
  /** Base URL ending in `/v1`, as a provider's `base_url`. */
  url: string;
  requests: RecordedRequest[];
  /** Requests whose client aborted before the reply ended. */
  aborted: number;
  close(): Promise<void>;
}

function sse(res: ServerResponse, data: unknown): void {
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let chatIndex = 0;
  const state = { aborted: 0 };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });

    if (req.method === 'GET' && options.routes && path in options.routes) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(options.routes[path]));
      return;
    }
    if (req.method === 'GET' && path.endsWith('/models')) {
      const status = options.modelsStatus ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { object: 'list', data: (options.models ?? [{ id: 'test-model' }]).map((m) => ({ object: 'model', owned_by: 'test', ...m })) } : { error: { message: 'Invalid API key', type: 'invalid_request_error' } }));
      return;
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
      return;
    }

    const request = body as { model: string; messages: Array<{ role: string; content: string }>; stream?: boolean };
    const script = options.reply?.(request, chatIndex++) ?? { chunks: ['Hello', ' there.'] };
    if (script.status && script.status !== 200) {
      res.writeHead(script.status, { 'content-type': 'application/json', ...script.headers });
      res.end(JSON.stringify(script.errorBody ?? { error: { message: `scripted failure ${script.status}`, type: 'server_error' } }));
      return;
    }

    let closed = false;
    res.on('close', () => {
      if (!res.writableEnded) {
        closed = true;
        state.aborted++;
      }
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...script.headers });
    if (script.raw !== undefined) {
      res.end(script.raw);
      return;
    }
    const id = `chatcmpl-${chatIndex}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, object: 'chat.completion.chunk', created, model: request.model };
    sse(res, { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    for (const piece of script.reasoning ?? []) {
      if (script.delayMs) await sleep(script.delayMs);
      if (closed) return;
      sse(res, { ...base, choices: [{ index: 0, delta: { [script.reasoningField ?? 'reasoning_content']: piece }, finish_reason: null }] });
    }
    const chunks = script.chunks ?? [];
    for (let i = 0; i < chunks.length; i++) {
      if (script.stallAfter !== undefined && i === script.stallAfter) return; // keep the socket open, send nothing more
      if (script.dropAfter !== undefined && i === script.dropAfter) {
        res.socket?.destroy();
        return;
      }
      if (script.delayMs) await sleep(script.delayMs);
      if (closed) return;
      sse(res, { ...base, choices: [{ index: 0, delta: { content: chunks[i] }, finish_reason: null }] });
    }
    if (closed) return;
    const usage = script.usage && { ...script.usage, total_tokens: script.usage.prompt_tokens + script.usage.completion_tokens };
    const finishUsage = !usage ? {} : script.usageStyle === 'x_groq' ? { x_groq: { id, usage } } : script.usageStyle === 'with-finish' ? { usage } : {};
    sse(res, { ...base, choices: [{ index: 0, delta: {}, finish_reason: script.finishReason ?? 'stop' }], ...finishUsage });
    if (script.usage && (script.usageStyle ?? 'final-chunk') === 'final-chunk') sse(res, { ...base, choices: [], usage: { ...script.usage, total_tokens: script.usage.prompt_tokens + script.usage.completion_tokens } });
    sse(res, '[DONE]');
    res.end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
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
