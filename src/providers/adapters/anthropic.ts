import type { ListedModel, ProviderAdapter } from '../adapter.ts';
import { getJson, parseAnthropicModels, trimSlash } from '../listing.ts';

const MAX_PAGES = 5;

/** Anthropic through its native Messages API; `base_url` includes `/v1`. */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  label: 'Anthropic',
  defaultBaseUrl: 'https://api.anthropic.com/v1',
  keyEnvVars: ['ANTHROPIC_API_KEY'],
  needsKey: true,
  languageModel: async (connection, modelId) =>
    (await import('@ai-sdk/anthropic')).createAnthropic({ baseURL: connection.baseUrl, apiKey: connection.apiKey, fetch: connection.fetch }).languageModel(modelId),
  listModels: async (connection, options) => {
    const models: ListedModel[] = [];
    const headers = { 'x-api-key': connection.apiKey ?? '', 'anthropic-version': '2023-06-01' };
    let afterId: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ limit: '1000', ...(afterId ? { after_id: afterId } : {}) });
      const parsed = parseAnthropicModels(await getJson(connection, `${trimSlash(connection.baseUrl)}/models?${query}`, headers, options));
      models.push(...parsed.models);
      afterId = parsed.lastId;
      if (!parsed.hasMore || !afterId) break;
    }
    return models;
  },
};
