import type { ProviderAdapter } from '../adapter.ts';
import { listOpenAiStyle } from '../listing.ts';

/** OpenAI through chat completions (not the Responses API), so proxies and mirrors work too. */
export const openAiAdapter: ProviderAdapter = {
  type: 'openai',
  label: 'OpenAI',
  defaultBaseUrl: 'https://api.openai.com/v1',
  keyEnvVars: ['OPENAI_API_KEY'],
  needsKey: true,
  languageModel: async (connection, modelId) =>
    (await import('@ai-sdk/openai')).createOpenAI({ name: connection.name, baseURL: connection.baseUrl, apiKey: connection.apiKey, fetch: connection.fetch }).chat(modelId),
  listModels: (connection, options) => listOpenAiStyle(connection, options),
};
