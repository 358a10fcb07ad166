import type { ProviderAdapter } from '../adapter.ts';
import { listOpenAiStyle } from '../listing.ts';

export const mistralAdapter: ProviderAdapter = {
  type: 'mistral',
  label: 'Mistral',
  defaultBaseUrl: 'https://api.mistral.ai/v1',
  keyEnvVars: ['MISTRAL_API_KEY'],
  needsKey: true,
  languageModel: async (connection, modelId) => (await import('@ai-sdk/mistral')).createMistral({ baseURL: connection.baseUrl, apiKey: connection.apiKey, fetch: connection.fetch }).languageModel(modelId),
  listModels: (connection, options) => listOpenAiStyle(connection, options),
};
