/**
 * A local server speaking the OpenAI embeddings format (`POST /v1/embeddings` with
 * `{model, input}` → `{data: [{embedding, index}]}`), embedding with `conceptVector`.
 * `failNext(status)` makes the next requests fail; `requests` records what was asked.
 */
import { conceptVector } from './concept-embeddings.ts';
import { json, startFixtureServer, type FixtureServer } from './http-fixture.ts';

export interface EmbeddingsServer extends FixtureServer {
  /** `{origin}/v1`, what a client's base URL is. */
  baseUrl: string;
  /** The next `count` requests answer with this status and an OpenAI-style error. */
  failNext(status: number, count?: number): void;
  /** Inputs of each embeddings request, in order. */
  batches(): string[][];
}

export async function startEmbeddingsServer(options: { apiKey?: string; models?: string[] } = {}): Promise<EmbeddingsServer> {
  const failures: number[] = [];
  const server = await startFixtureServer((request, res) => {
    if (request.method !== 'POST' || request.path !== '/v1/embeddings') {
      json(res, 404, { error: { message: `no route ${request.method} ${request.path}` } });
      return;
    }
    const failure = failures.shift();
    if (failure !== undefined) {
      json(res, failure, { error: { message: `scripted failure ${failure}`, type: 'server_error' } });
      return;
    }
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
      return;
    }
    const body = request.body as { model?: unknown; input?: unknown };
    const input = typeof body?.input === 'string' ? [body.input] : body?.input;
    if (!Array.isArray(input) || !input.every((text) => typeof text === 'string')) {
      json(res, 400, { error: { message: '`input` must be a string or a list of strings' } });
      return;
    }
    if (options.models && !options.models.includes(String(body.model))) {
      json(res, 404, { error: { message: `model "${String(body.model)}" not found, try pulling it first` } });
      return;
    }
    json(res, 200, {
      object: 'list',
      model: body.model,
      // Reversed on purpose: clients must order by `index`, not by position.
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: conceptVector(text) })).reverse(),
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  });
  return {
    ...server,
    get aborted() {
      return server.aborted;
    },
    baseUrl: `${server.origin}/v1`,
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    batches: () =>
      server.requests
        .filter((request) => request.path === '/v1/embeddings')
        .map((request) => (request.body as { input: string[] }).input),
  };
}
