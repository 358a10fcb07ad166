/**
 * HTTP helpers and parsers for the providers' model-listing endpoints. Parsers are tolerant:
 * only the fields used are read, anything else is ignored.
 */
import type { Connection, ListedModel, ListOptions } from './adapter.ts';

export class ListingError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ListingError';
  }
}

export const trimSlash = (url: string): string => url.replace(/\/+$/, '');

export async function getJson(connection: Connection, url: string, headers: Record<string, string>, options: ListOptions): Promise<unknown> {
  let response: Response;
  try {
    response = await connection.fetch(url, { headers: { accept: 'application/json', ...headers }, signal: options.signal });
  } catch (error) {
    if (options.signal.aborted) throw new ListingError(`no answer from ${url} in time`);
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new ListingError(`cannot connect to ${url}${cause?.code ? ` (${cause.code})` : ''}`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new ListingError(`${url} answered HTTP ${response.status}${describeBody(text)}`, response.status);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ListingError(`${url} did not answer with JSON`);
  }
}

function describeBody(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const num = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** USD per token (OpenRouter's strings) to USD per million tokens, rounded to hide float noise. */
export function perTokenToPerMillion(value: unknown): number | undefined {
  const perToken = num(value);
  if (perToken === undefined || perToken < 0) return undefined;
  return Math.round(perToken * 1e6 * 1e6) / 1e6;
}

/** `GET {base}/models` in the OpenAI shape, with OpenRouter/Groq/Mistral extras when present. */
export function parseOpenAiModels(body: unknown): ListedModel[] {
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
  return data.filter(isRecord).flatMap((entry): ListedModel[] => {
    const id = str(entry.id);
    if (!id) return [];
    const pricing = isRecord(entry.pricing) ? entry.pricing : {};
    const topProvider = isRecord(entry.top_provider) ? entry.top_provider : {};
    return [
      {
        id,
        name: str(entry.name) ?? str(entry.display_name),
        promptPrice: perTokenToPerMillion(pricing.prompt),
        completionPrice: perTokenToPerMillion(pricing.completion),
        contextLength: num(entry.context_length) ?? num(entry.context_window) ?? num(entry.max_context_length) ?? num(topProvider.context_length),
      },
    ];
  });
}

/** Gemini `GET {base}/models`: only models that can generate content. */
export function parseGeminiModels(body: unknown): { models: ListedModel[]; nextPageToken?: string } {
  const list = isRecord(body) && Array.isArray(body.models) ? body.models : [];
  const models = list.filter(isRecord).flatMap((entry): ListedModel[] => {
    const fullName = str(entry.name);
    const methods = Array.isArray(entry.supportedGenerationMethods) ? entry.supportedGenerationMethods : ['generateContent'];
    if (!fullName || !methods.includes('generateContent')) return [];
    return [{ id: fullName.replace(/^models\//, ''), name: str(entry.displayName), contextLength: num(entry.inputTokenLimit) }];
  });
  return { models, nextPageToken: isRecord(body) ? str(body.nextPageToken) : undefined };
}

/** Anthropic `GET /v1/models`. */
export function parseAnthropicModels(body: unknown): { models: ListedModel[]; lastId?: string; hasMore: boolean } {
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
  const models = data.filter(isRecord).flatMap((entry): ListedModel[] => {
    const id = str(entry.id);
    return id ? [{ id, name: str(entry.display_name) }] : [];
  });
  return { models, lastId: isRecord(body) ? str(body.last_id) : undefined, hasMore: isRecord(body) && body.has_more === true };
}

/** Ollama `GET /api/tags`. */
export function parseOllamaTags(body: unknown): ListedModel[] {
  const list = isRecord(body) && Array.isArray(body.models) ? body.models : [];
  return list.filter(isRecord).flatMap((entry): ListedModel[] => {
    const id = str(entry.model) ?? str(entry.name);
    return id ? [{ id, name: str(entry.name) ?? id, promptPrice: 0, completionPrice: 0 }] : [];
  });
}

/** KoboldCpp `GET /api/v1/model`: `{"result": "koboldcpp/<model>"}`. */
export function parseKoboldModel(body: unknown): ListedModel[] {
  const result = isRecord(body) ? str(body.result) : undefined;
  return result ? [{ id: result, name: result.replace(/^koboldcpp\//, ''), promptPrice: 0, completionPrice: 0 }] : [];
}

export async function listOpenAiStyle(connection: Connection, options: ListOptions, headers: Record<string, string> = {}): Promise<ListedModel[]> {
  const auth: Record<string, string> = connection.apiKey ? { authorization: `Bearer ${connection.apiKey}` } : {};
  return parseOpenAiModels(await getJson(connection, `${trimSlash(connection.baseUrl)}/models`, { ...auth, ...headers }, options));
}
