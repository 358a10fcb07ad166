import type { ProviderAdapter } from '../adapter.ts';
import { listOpenAiStyle } from '../listing.ts';

/** DeepSeek chat and reasoner; the reasoner's `reasoning_content` becomes reasoning parts. */
export const deepSeekAdapter: ProviderAdapter = {
  type: 'deepseek',
  label: 'DeepSeek',
  defaultBaseUrl: 'https://api.deepseek.com',
  keyEnvVars: ['DEEPSEEK_API_KEY'],
  needsKey: true,
  languageModel: async (connection, modelId) => (await import('@ai-sdk/deepseek')).createDeepSeek({ baseURL: connection.baseUrl, apiKey: connection.apiKey, fetch: connection.fetch }).chat(modelId),
  listModels: (connection, options) => listOpenAiStyle(connection, options),
};
