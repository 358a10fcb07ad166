import type { ProviderAdapter } from '../adapter.ts';
import { listOpenAiStyle } from '../listing.ts';

export const groqAdapter: ProviderAdapter = {
  type: 'groq',
  label: 'Groq',
  defaultBaseUrl: 'https://api.groq.com/openai/v1',
  keyEnvVars: ['GROQ_API_KEY'],
  needsKey: true,
  languageModel: async (connection, modelId) => (await import('@ai-sdk/groq')).createGroq({ baseURL: connection.baseUrl, apiKey: connection.apiKey, fetch: connection.fetch }).languageModel(modelId),
  listModels: (connection, options) => listOpenAiStyle(connection, options),
};
