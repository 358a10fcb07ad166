import type { Connection, ProviderAdapter } from '../adapter.ts';
import { listOpenAiStyle } from '../listing.ts';

const DEFAULT_TITLE = 'Flower';

/**
 * OpenRouter's app attribution headers, sent on chat and listing requests: the app's name, and
 * the page it links to only when the config names one (Flower has no address of its own to claim).
 */
export function attributionHeaders(connection: Connection): Record<string, string> {
  const { url, title = DEFAULT_TITLE } = connection.attribution ?? {};
  return { ...(url ? { 'HTTP-Referer': url } : {}), 'X-Title': title };
}

export const openRouterAdapter: ProviderAdapter = {
  type: 'openrouter',
  label: 'OpenRouter',
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  keyEnvVars: ['OPENROUTER_API_KEY'],
  needsKey: true,
  languageModel: async (connection, modelId) =>
    (await import('@openrouter/ai-sdk-provider')).createOpenRouter({
      baseURL: connection.baseUrl,
      apiKey: connection.apiKey,
      fetch: connection.fetch,
      // strict mode sends `stream_options.include_usage`, so replies report their tokens
      compatibility: 'strict',
      headers: attributionHeaders(connection),
    }).chat(modelId, { usage: { include: true } }),
  listModels: (connection, options) => listOpenAiStyle(connection, options, attributionHeaders(connection)),
};
