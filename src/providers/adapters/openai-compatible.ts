/** Any server speaking the OpenAI chat-completions API; `base_url` ends where `/models` and `/chat/completions` hang. */
import type { Connection, ProviderAdapter } from '../adapter.ts';
import { listOpenAiStyle } from '../listing.ts';

export async function openAiCompatibleModel(connection: Connection, baseURL: string, modelId: string) {
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  return createOpenAICompatible({
    name: connection.name,
    baseURL,
    apiKey: connection.apiKey,
    fetch: connection.fetch,
    includeUsage: true,
  }).chatModel(modelId);
}

export const openAiCompatibleAdapter: ProviderAdapter = {
  type: 'openai-compatible',
  label: 'OpenAI-compatible endpoint',
  defaultBaseUrl: 'http://127.0.0.1:8000/v1',
  keyEnvVars: [],
  needsKey: false,
  languageModel: (connection, modelId) => openAiCompatibleModel(connection, connection.baseUrl, modelId),
  listModels: (connection, options) => listOpenAiStyle(connection, options),
};
