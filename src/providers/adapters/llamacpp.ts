import type { ProviderAdapter } from '../adapter.ts';
import { listOpenAiStyle } from '../listing.ts';
import { loopback, openAiPath, serverRoot } from './local-server.ts';
import { openAiCompatibleModel } from './openai-compatible.ts';

/** llama.cpp's `llama-server`: one loaded model, listed by its OpenAI-style `/v1/models`. */
export const llamaCppAdapter: ProviderAdapter = {
  type: 'llamacpp',
  label: 'llama.cpp server',
  defaultBaseUrl: loopback(8080),
  defaultPort: 8080,
  keyEnvVars: [],
  needsKey: false,
  normalizeBaseUrl: serverRoot,
  languageModel: (connection, modelId) => openAiCompatibleModel(connection, openAiPath(connection).baseUrl, modelId),
  listModels: async (connection, options) => (await listOpenAiStyle(openAiPath(connection), options)).map((m) => ({ promptPrice: 0, completionPrice: 0, ...m })),
};
