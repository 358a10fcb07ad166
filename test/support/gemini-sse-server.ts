/**
 * A local HTTP server speaking the Gemini API (`generativelanguage.googleapis.com/v1beta`):
 * `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` and `GET /v1beta/models`.
 * Chunk shapes follow recorded Gemini responses (candidates, thought parts, usageMetadata).
 */
import type { ServerResponse } from 'node:http';
import { json, sleep, startFixtureServer, type FixtureServer } from './http-fixture.ts';

export interface GeminiScript {
  chunks?: string[];
  /** Thought-summary pieces (`thought: true` parts) sent before the text. */
  thoughts?: string[];
  usage?: { promptTokenCount: number; candidatesTokenCount: number };
  /** `STOP` by default; `SAFETY` for a blocked reply. */
  finishReason?: string;
  delayMs?: number;
  status?: number;
  /** `{error: {code, message, status}}` by default. */
  errorBody?: unknown;
  headers?: Record<string, string>;
  stallAfter?: number;
}

export interface GeminiModelEntry {
  name: string;
  displayName?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedGenerationMethods?: string[];
}

export interface GeminiServerOptions {
  models?: GeminiModelEntry[];
  /** Splits the model list into pages of this size (nextPageToken). */
  pageSize?: number;
  modelsStatus?: number;
  reply?: (body: { contents: unknown[]; systemInstruction?: unknown; generationConfig?: Record<string, unknown> }, model: string, index: number) => GeminiScript;
}

export interface GeminiServer extends FixtureServer {
  /** `base_url` for `type: gemini` (ends in `/v1beta`). */
  url: string;
}

const statusName = (code: number): string => ({ 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' })[code] ?? 'UNKNOWN';

function sse(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\r\n\r\n`);
}

export async function startGeminiServer(options: GeminiServerOptions = {}): Promise<GeminiServer> {
  let index = 0;
  const server = await startFixtureServer(async (request, res, stream) => {
    if (request.method === 'GET' && request.path === '/v1beta/models') {
      const status = options.modelsStatus ?? 200;
      if (status !== 200) return json(res, status, { error: { code: status, message: 'API key not valid. Please pass a valid API key.', status: statusName(status) } });
      const all = (options.models ?? [{ name: 'models/gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1048576 }]).map((m) => ({
        version: '001',
        outputTokenLimit: 65536,
        supportedGenerationMethods: ['generateContent', 'countTokens'],
        ...m,
      }));
      const size = options.pageSize ?? all.length;
      const start = Number(request.query.get('pageToken') ?? 0);
      const next = start + size < all.length ? String(start + size) : undefined;
      return json(res, 200, { models: all.slice(start, start + size), ...(next ? { nextPageToken: next } : {}) });
    }
    const match = /^\/v1beta\/models\/([^:]+):streamGenerateContent$/.exec(request.path);
    if (request.method !== 'POST' || !match) return json(res, 404, { error: { code: 404, message: `no route ${request.path}`, status: 'NOT_FOUND' } });

    const model = decodeURIComponent(match[1] ?? '');
    const body = request.body as Parameters<NonNullable<GeminiServerOptions['reply']>>[0];
    const script = options.reply?.(body, model, index++) ?? { chunks: ['Hello', ' there.'] };
    if (script.status && script.status !== 200) {
      return json(res, script.status, script.errorBody ?? { error: { code: script.status, message: `scripted failure ${script.status}`, status: statusName(script.status) } }, script.headers);
    }
    const { closed } = stream();
    res.writeHead(200, { 'content-type': 'text/event-stream', ...script.headers });
    const usage = script.usage ?? { promptTokenCount: 9, candidatesTokenCount: 4 };
    const chunk = (parts: unknown[], extra: Record<string, unknown> = {}) => ({
      candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }],
      usageMetadata: { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount },
      modelVersion: model,
      responseId: `resp-${index}`,
    });
    for (const thought of script.thoughts ?? []) {
      if (script.delayMs) await sleep(script.delayMs);
      if (closed()) return;
      sse(res, chunk([{ text: thought, thought: true }]));
    }
    const chunks = script.chunks ?? [];
    for (let i = 0; i < chunks.length; i++) {
      if (script.stallAfter === i) return; // keep the connection open, send nothing more
      if (script.delayMs) await sleep(script.delayMs);
      if (closed()) return;
      sse(res, chunk([{ text: chunks[i] }]));
    }
    const finishReason = script.finishReason ?? 'STOP';
    sse(res, {
      candidates: [
        {
          content: { parts: [{ text: '' }], role: 'model' },
          finishReason,
          index: 0,
          ...(finishReason === 'SAFETY' ? { safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }] } : {}),
        },
      ],
      usageMetadata: { promptTokenCount: usage.promptTokenCount, candidatesTokenCount: usage.candidatesTokenCount, totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount },
      modelVersion: model,
      responseId: `resp-${index}`,
    });
    res.end();
  });
  return Object.assign(server, { url: `${server.origin}/v1beta` });
}
