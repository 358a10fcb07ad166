/**
 * `flower models`: lists every model available now, per provider, and says why a provider is
 * missing (no key, nothing answering at its address, listing failed).
 */
import type { ProvidersConfig } from '../config/providers-config.ts';
import type { Logger, ModelInfo } from '../engine/ports.ts';
import type { FetchFunction } from './adapter.ts';
import { createModelGateway, type ProviderStatus } from './model-gateway.ts';
import type { Env } from './resolve-providers.ts';

export interface ModelsReportOptions {
  fetch?: FetchFunction;
  discoveryTimeoutMs?: number;
  listingTimeoutMs?: number;
}

const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function price(model: ModelInfo): string {
  if (model.promptPrice === 0 && model.completionPrice === 0) return '';
  const usd = (n: number) => `$${n < 1 ? n.toFixed(3).replace(/0$/, '') : n.toFixed(2)}`;
  return `${usd(model.promptPrice)} in / ${usd(model.completionPrice)} out per M tokens`;
}

function context(model: ModelInfo): string {
  if (!model.contextLength) return '';
  return model.contextLength >= 1000 ? `${Math.round(model.contextLength / 1000)}k context` : `${model.contextLength} context`;
}

function describe(status: ProviderStatus): string {
  const key = status.keySource === 'config' ? ', key from the config file' : status.keySource ? `, key from ${status.keySource}` : '';
  return `${status.name} (${status.label}, ${status.baseUrl}${key})`;
}

export async function runModelsReport(config: ProvidersConfig, env: Env, out: (line: string) => void, options: ModelsReportOptions = {}): Promise<void> {
  const gateway = createModelGateway(config, { logger: silentLogger, env, ...options });
  try {
    await gateway.refresh();
    let total = 0;
    for (const status of gateway.status()) {
      if (status.state === 'not-answering') continue;
      if (status.state === 'failed') {
        out(`✗ ${describe(status)}: listing failed: ${status.detail ?? 'unknown error'}`);
        for (const model of status.models) out(`    ${model.id}  (from the config)`);
        total += status.models.length;
        continue;
      }
      out(`✓ ${describe(status)}: ${status.models.length} model${status.models.length === 1 ? '' : 's'}`);
      for (const model of status.models) {
        const extras = [model.name !== model.id.slice(status.name.length + 1) ? model.name : '', price(model), context(model)].filter(Boolean);
        out(`    ${model.id}${extras.length ? `  ${extras.join(' · ')}` : ''}`);
      }
      total += status.models.length;
    }
    for (const status of gateway.status()) {
      if (status.state === 'not-answering') out(`· ${status.name} (${status.label}): not answering at ${status.baseUrl} — start it to use its models`);
    }
    for (const missing of gateway.unavailable()) out(`· ${missing.name} (${missing.type}): ${missing.reason}`);
    out(total === 0 ? 'No models available. Set a provider key (e.g. OPENROUTER_API_KEY) or start a local server.' : `${total} model${total === 1 ? '' : 's'} available. Use an id above with /model.`);
    const fallback = config.default_model;
    if (fallback) out(`Default model: ${fallback}`);
  } finally {
    gateway.close();
  }
}
