/**
 * Builds a provider's ModelInfo list from what it listed and its config `models` entries
 * (which add models, override names, prices and context length, or with `restrict_models`
 * are the only models offered).
 */
import type { ModelInfo } from '../engine/ports.ts';
import type { ListedModel } from './adapter.ts';
import type { ResolvedProvider } from './resolve-providers.ts';

/** Model ids are `<provider name>/<provider's model id>`; provider names never contain `/`. */
export const modelIdFor = (providerName: string, providerModelId: string): string => `${providerName}/${providerModelId}`;

export function splitModelId(modelId: string): { providerName: string; providerModelId: string } | undefined {
  const slash = modelId.indexOf('/');
  if (slash <= 0 || slash === modelId.length - 1) return undefined;
  return { providerName: modelId.slice(0, slash), providerModelId: modelId.slice(slash + 1) };
}

export function catalogFor(provider: ResolvedProvider, listed: readonly ListedModel[]): ModelInfo[] {
  const byId = new Map<string, ListedModel>();
  for (const model of listed) if (!byId.has(model.id)) byId.set(model.id, model);
  const configured = new Map(provider.configModels.map((entry) => [entry.id, entry]));
  const ids = provider.restrictModels ? [...configured.keys()] : [...new Set([...byId.keys(), ...configured.keys()])];
  return ids.map((id) => {
    const fromList = byId.get(id);
    const fromConfig = configured.get(id);
    const contextLength = fromConfig?.context_length ?? fromList?.contextLength;
    return {
      id: modelIdFor(provider.name, id),
      name: fromConfig?.name ?? fromList?.name ?? id,
      provider: provider.name,
      promptPrice: fromConfig?.prompt_price ?? fromList?.promptPrice ?? 0,
      completionPrice: fromConfig?.completion_price ?? fromList?.completionPrice ?? 0,
      ...(contextLength !== undefined ? { contextLength } : {}),
      ...(fromConfig?.max_output_tokens !== undefined ? { maxOutputTokens: fromConfig.max_output_tokens } : {}),
    };
  });
}
