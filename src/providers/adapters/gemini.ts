import type { ListedModel, ProviderAdapter } from '../adapter.ts';
import { getJson, parseGeminiModels, trimSlash } from '../listing.ts';

const MAX_PAGES = 5;

/** Google Gemini through its native API (`streamGenerateContent?alt=sse`). */
export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  label: 'Google Gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  keyEnvVars: ['GEMINI_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY'],
  needsKey: true,
  languageModel: async (connection, modelId) =>
    (await import('@ai-sdk/google')).createGoogleGenerativeAI({ baseURL: connection.baseUrl, apiKey: connection.apiKey, fetch: connection.fetch }).languageModel(modelId),
  listModels: async (connection, options) => {
    const models: ListedModel[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ pageSize: '1000', ...(pageToken ? { pageToken } : {}) });
      // The key goes in a header, never the URL, so it cannot leak through logged URLs.
      const body = await getJson(connection, `${trimSlash(connection.baseUrl)}/models?${query}`, { 'x-goog-api-key': connection.apiKey ?? '' }, options);
      const parsed = parseGeminiModels(body);
      models.push(...parsed.models);
      pageToken = parsed.nextPageToken;
      if (!pageToken) break;
    }
    return models;
  },
};
