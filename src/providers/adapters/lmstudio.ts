import type { ProviderAdapter } from '../adapter.ts';
import { listOpenAiStyle } from '../listing.ts';
import { loopback, openAiPath, serverRoot } from './local-server.ts';
import { openAiCompatibleModel } from './openai-compatible.ts';

export const lmStudioAdapter: ProviderAdapter = {
  type: 'lmstudio',
  label: 'LM Studio',
  defaultBaseUrl: loopback(1234),
  defaultPort: 1234,
  keyEnvVars: [],
  needsKey: false,
  normalizeBaseUrl: serverRoot,
  languageModel: (connection, modelId) => openAiCompatibleModel(connection, openAiPath(connection).baseUrl, modelId),
  listModels: async (connection, options) => (await listOpenAiStyle(openAiPath(connection), options)).map((m) => ({ promptPrice: 0, completionPrice: 0, ...m })),
};
