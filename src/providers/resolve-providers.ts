/**
 * Which providers exist and how to reach them, from the config and the environment:
 * configured entries; well-known cloud types whose key is in the environment (name = type);
 * local servers to probe on loopback. Providers that cannot be used say why.
 */
import { LOCAL_PROVIDER_TYPES, PROVIDER_TYPES, type ModelEntry, type ProviderType, type ProvidersConfig } from '../config/providers-config.ts';
import type { ProviderAdapter } from './adapter.ts';
import { ADAPTERS } from './adapters/index.ts';
import { trimSlash } from './listing.ts';

export type Env = Record<string, string | undefined>;

export interface ResolvedProvider {
  name: string;
  type: ProviderType;
  adapter: ProviderAdapter;
  baseUrl: string;
  apiKey?: string;
  /** Where the key came from: an env var name, or `config` for `api_key` in the config file. */
  keySource?: string;
  configModels: readonly ModelEntry[];
  restrictModels: boolean;
  attribution?: { url?: string; title?: string };
  /** `config`: an entry in the config; `env`: enabled by a key in the environment; `discovered`: a local server probed at its default port. */
  origin: 'config' | 'env' | 'discovered';
  local: boolean;
}

export interface UnavailableProvider {
  name: string;
  type: ProviderType;
  reason: string;
}

export interface ProviderResolution {
  enabled: ResolvedProvider[];
  unavailable: UnavailableProvider[];
}

const isLocal = (type: ProviderType): boolean => (LOCAL_PROVIDER_TYPES as readonly string[]).includes(type);

function keyFromEnv(adapter: ProviderAdapter, env: Env): { apiKey: string; keySource: string } | undefined {
  for (const variable of adapter.keyEnvVars) {
    const value = env[variable]?.trim();
    if (value) return { apiKey: value, keySource: variable };
  }
  return undefined;
}

export function resolveProviders(config: ProvidersConfig, env: Env): ProviderResolution {
  const enabled: ResolvedProvider[] = [];
  const unavailable: UnavailableProvider[] = [];
  const configuredTypes = new Set<ProviderType>();

  for (const [name, entry] of Object.entries(config.providers)) {
    const adapter = ADAPTERS[entry.type];
    configuredTypes.add(entry.type);
    const rawBase = entry.base_url ?? adapter.defaultBaseUrl;
    const baseUrl = adapter.normalizeBaseUrl ? adapter.normalizeBaseUrl(rawBase) : trimSlash(rawBase);
    if (entry.type === 'openai-compatible' && !entry.base_url) {
      unavailable.push({ name, type: entry.type, reason: 'no base_url: set base_url to the endpoint (e.g. http://127.0.0.1:1234/v1)' });
      continue;
    }
    let key: { apiKey: string; keySource: string } | undefined;
    if (entry.api_key) key = { apiKey: entry.api_key, keySource: 'config' };
    else if (entry.api_key_env) {
      const value = env[entry.api_key_env]?.trim();
      if (!value) {
        unavailable.push({ name, type: entry.type, reason: `no API key: set ${entry.api_key_env} (named by api_key_env)` });
        continue;
      }
      key = { apiKey: value, keySource: entry.api_key_env };
    } else key = keyFromEnv(adapter, env);
    if (!key && adapter.needsKey) {
      unavailable.push({ name, type: entry.type, reason: `no API key: set ${adapter.keyEnvVars.join(' or ')}, or api_key / api_key_env in the config` });
      continue;
    }
    enabled.push({
      name,
      type: entry.type,
      adapter,
      baseUrl,
      ...key,
      configModels: entry.models ?? [],
      restrictModels: entry.restrict_models ?? false,
      attribution: entry.attribution,
      origin: 'config',
      local: isLocal(entry.type),
    });
  }

  const taken = (name: string) => name in config.providers;
  for (const type of PROVIDER_TYPES) {
    const adapter = ADAPTERS[type];
    if (configuredTypes.has(type) || taken(type)) continue;
    if (isLocal(type)) {
      if (!config.local_discovery || adapter.defaultPort === undefined) continue;
      const port = config.local_ports?.[type as keyof NonNullable<ProvidersConfig['local_ports']>] ?? adapter.defaultPort;
      enabled.push({ name: type, type, adapter, baseUrl: `http://127.0.0.1:${port}`, configModels: [], restrictModels: false, origin: 'discovered', local: true });
      continue;
    }
    if (!adapter.needsKey) continue;
    const key = keyFromEnv(adapter, env);
    if (!key) {
      unavailable.push({ name: type, type, reason: `no API key: set ${adapter.keyEnvVars.join(' or ')}` });
      continue;
    }
    enabled.push({ name: type, type, adapter, baseUrl: trimSlash(adapter.defaultBaseUrl), ...key, configModels: [], restrictModels: false, origin: 'env', local: false });
  }
  return { enabled, unavailable };
}
