/**
 * Embeddings over the OpenAI embeddings format (`POST {base}/embeddings`), which OpenAI,
 * Ollama, LM Studio, llama.cpp, Mistral, OpenRouter and most others speak. Errors name the
 * provider and URL, never the key. `provider: builtin` selects Flower's own offline model instead.
 */
import { BUILTIN_EMBEDDING_MODEL_IDS, BUILTIN_EMBEDDINGS_PROVIDER, isBuiltinEmbeddingModelId, type ProvidersConfig } from '../config/providers-config.ts';
import type { EmbeddingModel } from '../engine/ports.ts';
import { serverRoot } from './adapters/local-server.ts';
import { createBuiltinEmbeddings } from './builtin-embeddings.ts';
import { trimSlash } from './listing.ts';
import { resolveProviders, type Env } from './resolve-providers.ts';

export interface OpenAiEmbeddingsOptions {
  /** Where `/embeddings` hangs, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** The provider's model id, sent as `model`. */
  model: string;
  /** Names the provider in errors and the model id (`<provider>/<model>`). */
  provider?: string;
  /** Texts per request. */
  batchSize?: number;
  fetch?: typeof fetch;
}

export class EmbeddingError extends Error {
  override readonly name = 'EmbeddingError';
}

const DEFAULT_BATCH_SIZE = 64;
/** An error body is quoted to help, but only this much of it. */
const MAX_DETAIL = 200;

const detailOf = async (response: Response): Promise<string> => {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string };
    const message = typeof body.error === 'string' ? body.error : body.error?.message;
    if (typeof message === 'string') return message.slice(0, MAX_DETAIL);
  } catch {
    // not JSON: quote the text itself
  }
  return text.trim().slice(0, MAX_DETAIL);
};

const hint = (status: number): string => {
  if (status === 401 || status === 403) return ' (check the API key)';
  if (status === 404) return ' (does this provider serve embeddings, and is the model pulled/available?)';
  return '';
};

/** The vectors of one response, in input order; throws when the shape is not what was asked for. */
function parseVectors(body: unknown, expected: number, fail: (problem: string) => never): number[][] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return fail('response has no `data` array');
  if (data.length !== expected) return fail(`asked for ${expected} embeddings, got ${data.length}`);
  const vectors: number[][] = new Array<number[]>(expected);
  data.forEach((entry: { embedding?: unknown; index?: unknown }, position) => {
    const index = typeof entry?.index === 'number' ? entry.index : position;
    const embedding = entry?.embedding;
    if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      fail(`embedding ${index} is not a list of numbers`);
    }
    if (!Number.isInteger(index) || index < 0 || index >= expected || vectors[index]) fail(`embedding index ${index} is out of place`);
    vectors[index] = embedding as number[];
  });
  const length = vectors[0]?.length;
  if (vectors.some((vector) => vector.length !== length)) fail('embeddings differ in length');
  return vectors;
}

export function createOpenAiEmbeddings(options: OpenAiEmbeddingsOptions): EmbeddingModel {
  const url = `${trimSlash(options.baseUrl)}/embeddings`;
  const provider = options.provider ?? 'embeddings';
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const doFetch = options.fetch ?? fetch;
  const fail = (problem: string): never => {
    throw new EmbeddingError(`${provider} embeddings (${options.model}) at ${url}: ${problem}`);
  };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  const embedBatch = async (input: string[], signal?: AbortSignal): Promise<number[][]> => {
    let response: Response;
    try {
      response = await doFetch(url, { method: 'POST', headers, body: JSON.stringify({ model: options.model, input }), signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new EmbeddingError(`${provider} embeddings: aborted`);
      // Never echo the request: fetch errors carry only the cause (refused, DNS…).
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return fail(`cannot connect (${cause?.code ?? cause?.message ?? String(error)})`);
    }
    if (!response.ok) return fail(`HTTP ${response.status}${hint(response.status)}: ${await detailOf(response)}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return fail('response is not JSON');
    }
    return parseVectors(body, input.length, fail);
  };

  return {
    id: `${provider}/${options.model}`,
    async embed(texts, signal) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize), signal)));
      }
      return vectors;
    },
  };
}

/** Provider types with no OpenAI-format embeddings endpoint. */
const NO_EMBEDDINGS = new Set(['anthropic']);

/** Where a resolved provider's OpenAI-format API lives (local servers: their `/v1`). */
function openAiBase(type: string, baseUrl: string, local: boolean): string {
  if (local) return `${serverRoot(baseUrl)}/v1`;
  if (type === 'gemini') return `${trimSlash(baseUrl)}/openai`;
  return trimSlash(baseUrl);
}

/**
 * The embedding model named by `embeddings: {provider, model}` in the config: a built-in model
 * for `provider: builtin`, else the named provider's endpoint reached with its base URL and key;
 * `undefined` when none is configured or it cannot be used (the reason goes to `warn`, and
 * retrieval stays BM25 only).
 */
export function resolveEmbeddingModel(
  config: ProvidersConfig,
  env: Env,
  options: { fetch?: typeof fetch; warn?: (message: string) => void; batchSize?: number } = {},
): EmbeddingModel | undefined {
  const wanted = config.embeddings;
  if (!wanted) return undefined;
  const warn = (reason: string) => {
    options.warn?.(`embeddings are off: ${reason}; lore and memory use BM25 only`);
    return undefined;
  };
  if (wanted.provider === BUILTIN_EMBEDDINGS_PROVIDER) {
    // The config schema already refuses an unknown id; this guards configs built in code.
    if (isBuiltinEmbeddingModelId(wanted.model)) return createBuiltinEmbeddings(wanted.model);
    return warn(`no built-in embedding model "${wanted.model}" (valid: ${BUILTIN_EMBEDDING_MODEL_IDS.join(', ')})`);
  }
  const { enabled, unavailable } = resolveProviders(config, env);
  const provider = enabled.find((candidate) => candidate.name === wanted.provider);
  if (!provider) {
    const why = unavailable.find((candidate) => candidate.name === wanted.provider)?.reason;
    const known = enabled.map((candidate) => candidate.name).join(', ') || 'none';
    const offline = `"${BUILTIN_EMBEDDINGS_PROVIDER}" (offline, models: ${BUILTIN_EMBEDDING_MODEL_IDS.join(', ')})`;
    return warn(why ? `provider "${wanted.provider}" is unavailable (${why})` : `no provider named "${wanted.provider}" (available: ${known}; or ${offline})`);
  }
  if (NO_EMBEDDINGS.has(provider.type)) return warn(`provider "${provider.name}" (${provider.type}) has no embeddings endpoint`);
  return createOpenAiEmbeddings({
    baseUrl: openAiBase(provider.type, provider.baseUrl, provider.local),
    apiKey: provider.apiKey,
    model: wanted.model,
    provider: provider.name,
    fetch: options.fetch,
    batchSize: options.batchSize,
  });
}
