import type { ProviderAdapter } from '../adapter.ts';
import { getJson, listOpenAiStyle, parseKoboldModel } from '../listing.ts';
import { loopback, openAiPath, serverRoot } from './local-server.ts';
import { openAiCompatibleModel } from './openai-compatible.ts';

/** KoboldCpp: its OpenAI-compatible `/v1/models`, falling back to the Kobold `/api/v1/model`. */
export const koboldCppAdapter: ProviderAdapter = {
  type: 'koboldcpp',
  label: 'KoboldCpp',
  defaultBaseUrl: loopback(5001),
  defaultPort: 5001,
  keyEnvVars: [],
  needsKey: false,
  normalizeBaseUrl: serverRoot,
  languageModel: (connection, modelId) => openAiCompatibleModel(connection, openAiPath(connection).baseUrl, modelId),
  listModels: async (connection, options) => {
    try {
      const models = await listOpenAiStyle(openAiPath(connection), options);
      if (models.length > 0) return models.map((m) => ({ promptPrice: 0, completionPrice: 0, ...m }));
    } catch (error) {
      if (options.signal.aborted) throw error;
    }
    return parseKoboldModel(await getJson(connection, `${serverRoot(connection.baseUrl)}/api/v1/model`, {}, options));
  },
};
