/**
 * A local HTTP server speaking Anthropic's Messages API: `POST /v1/messages` streamed as SSE
 * (message_start, content_block_start/delta/stop, message_delta with usage, message_stop,
 * error events) and `GET /v1/models`. Event shapes follow recorded Anthropic responses.
 */
import type { ServerResponse } from 'node:http';
import { json, sleep, startFixtureServer, type FixtureServer } from './http-fixture.ts';

export interface AnthropicScript {
  chunks?: string[];
  /** Extended-thinking pieces, sent in a `thinking` block before the text. */
  thinking?: string[];
  usage?: { input_tokens: number; output_tokens: number };
  /** `end_turn` by default; `refusal` for a content-filter refusal. */
  stopReason?: string;
  delayMs?: number;
  status?: number;
  /** `{type: 'error', error: {type, message}}` by default. */
  errorBody?: unknown;
  headers?: Record<string, string>;
  stallAfter?: number;
  /** Send an `event: error` after this many text chunks (e.g. overloaded_error mid-stream). */
  errorEventAfter?: number;
  errorEvent?: { type: string; message: string };
}

export interface AnthropicServerOptions {
  models?: Array<{ id: string; display_name?: string }>;
  modelsStatus?: number;
  reply?: (body: { model: string; messages: unknown[]; system?: unknown; max_tokens?: number }, index: number) => AnthropicScript;
}

export interface AnthropicServer extends FixtureServer {
  /** `base_url` for `type: anthropic` (ends in `/v1`). */
  url: string;
}

const errorTypeFor = (status: number): string =>
  ({ 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 429: 'rate_limit_error', 529: 'overloaded_error' })[status] ?? 'api_error';

function event(res: ServerResponse, name: string, data: unknown): void {
  res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function startAnthropicServer(options: AnthropicServerOptions = {}): Promise<AnthropicServer> {
  let index = 0;
  const server = await startFixtureServer(async (request, res, stream) => {
    if (request.method === 'GET' && request.path === '/v1/models') {
      const status = options.modelsStatus ?? 200;
      if (status !== 200) return json(res, status, { type: 'error', error: { type: errorTypeFor(status), message: 'invalid x-api-key' } });
      const data = (options.models ?? [{ id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4' }]).map((m) => ({ type: 'model', created_at: '2025-05-22T00:00:00Z', display_name: m.id, ...m }));
      return json(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    }
    if (request.method !== 'POST' || request.path !== '/v1/messages') return json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });

    const body = request.body as { model: string; messages: unknown[] };
    const script = options.reply?.(body, index++) ?? { chunks: ['Hello', ' there.'] };
    if (script.status && script.status !== 200) {
      return json(res, script.status, script.errorBody ?? { type: 'error', error: { type: errorTypeFor(script.status), message: `scripted failure ${script.status}` } }, script.headers);
    }
    const { closed } = stream();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_${index}`, ...script.headers });
    const usage = script.usage ?? { input_tokens: 12, output_tokens: 0 };
    event(res, 'message_start', {
      type: 'message_start',
      message: { id: `msg_${index}`, type: 'message', role: 'assistant', content: [], model: body.model, stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } },
    });
    let block = 0;
    if (script.thinking?.length) {
      event(res, 'content_block_start', { type: 'content_block_start', index: block, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const piece of script.thinking) {
        if (script.delayMs) await sleep(script.delayMs);
        if (closed()) return;
        event(res, 'content_block_delta', { type: 'content_block_delta', index: block, delta: { type: 'thinking_delta', thinking: piece } });
      }
      event(res, 'content_block_delta', { type: 'content_block_delta', index: block, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } });
      event(res, 'content_block_stop', { type: 'content_block_stop', index: block });
      block++;
    }
    event(res, 'content_block_start', { type: 'content_block_start', index: block, content_block: { type: 'text', text: '' } });
    event(res, 'ping', { type: 'ping' });
    const chunks = script.chunks ?? [];
    for (let i = 0; i < chunks.length; i++) {
      if (script.stallAfter === i) return; // keep the connection open, send nothing more
      if (script.errorEventAfter === i) {
        event(res, 'error', { type: 'error', error: script.errorEvent ?? { type: 'overloaded_error', message: 'Overloaded' } });
        res.end();
        return;
      }
      if (script.delayMs) await sleep(script.delayMs);
      if (closed()) return;
      event(res, 'content_block_delta', { type: 'content_block_delta', index: block, delta: { type: 'text_delta', text: chunks[i] } });
    }
    if (script.errorEventAfter === chunks.length) {
      event(res, 'error', { type: 'error', error: script.errorEvent ?? { type: 'overloaded_error', message: 'Overloaded' } });
      res.end();
      return;
    }
    event(res, 'content_block_stop', { type: 'content_block_stop', index: block });
    event(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: script.stopReason ?? 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
    event(res, 'message_stop', { type: 'message_stop' });
    res.end();
  });
  return Object.assign(server, { url: `${server.origin}/v1` });
}
