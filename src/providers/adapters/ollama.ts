import type { ProviderAdapter } from '../adapter.ts';
import { getJson, parseOllamaTags } from '../listing.ts';
import { loopback, openAiPath, serverRoot } from './local-server.ts';
import { openAiCompatibleModel } from './openai-compatible.ts';

/** Ollama: models from its native `/api/tags`, chat through its OpenAI-compatible `/v1`. */
export const ollamaAdapter: ProviderAdapter = {
  type: 'ollama',
  label: 'Ollama',
  defaultBaseUrl: loopback(11434),
  defaultPort: 11434,
  keyEnvVars: [],
  needsKey: false,
  normalizeBaseUrl: serverRoot,
  languageModel: (connection, modelId) => openAiCompatibleModel(connection, openAiPath(connection).baseUrl, modelId),
  listModels: async (connection, options) => parseOllamaTags(await getJson(connection, `${serverRoot(connection.baseUrl)}/api/tags`, {}, options)),
};
