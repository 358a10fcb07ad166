/**
 * The ModelGateway over every enabled provider. Model ids are `<provider name>/<provider's
 * model id>` (e.g. `openrouter/anthropic/claude-sonnet-4`, `ollama/llama3.1:8b`): the part
 * before the first `/` names the provider, the rest goes to it unchanged.
 *
 * `start()` lists models in the background and never blocks; the list grows as providers
 * answer and `onModelsChanged` listeners hear each change. Listing failures are logged, not
 * fatal; local servers found by discovery are listed only when they answer. Local servers are
 * listed again every 30 s and failed remote providers every 5 minutes, so a server started after
 * Flower, or a model pulled into it, appears without a restart.
 */
import type { LanguageModelV3, LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { LanguageModel } from 'ai';
import type { ProvidersConfig } from '../config/providers-config.ts';
import type { ChatMessage, ChatRequest, Clock, Logger, ModelGateway, ModelInfo, StreamPart } from '../engine/ports.ts';
import type { Connection, FetchFunction, ListedModel } from './adapter.ts';
import { redact, type ErrorContext } from './errors.ts';
import { catalogFor, splitModelId } from './model-catalog.ts';
import { resolveProviders, type Env, type ResolvedProvider, type UnavailableProvider } from './resolve-providers.ts';
import { abortableSleep, DEFAULT_RETRY_POLICY, resilientStream, type RetryPolicy, type Sleep, type UpstreamParts } from './resilient-stream.ts';
import { samplingFor } from './sampling.ts';

export interface ModelGatewayDeps {
  logger: Logger;
  env: Env;
  fetch?: FetchFunction;
  clock?: Clock;
  /** Waits between retries; tests pass one that records the delays. */
  sleep?: Sleep;
  retryPolicy?: RetryPolicy;
  /** How long a discovered local server gets to answer. */
  discoveryTimeoutMs?: number;
  listingTimeoutMs?: number;
  /**
   * After `start()`, local servers are listed again this often (a server started later, a model
   * pulled or removed), and remote providers whose listing failed every `retryFailedEveryMs`.
   */
  relistLocalEveryMs?: number;
  retryFailedEveryMs?: number;
}

export type ProviderState = 'listing' | 'ready' | 'failed' | 'not-answering';

export interface ProviderStatus {
  name: string;
  type: ResolvedProvider['type'];
  label: string;
  baseUrl: string;
  origin: ResolvedProvider['origin'];
  keySource?: string;
  state: ProviderState;
  /** Why listing failed, when it did (never contains the key). */
  detail?: string;
  models: readonly ModelInfo[];
}

export interface ManagedModelGateway extends ModelGateway {
  /** Starts listing every provider in the background; returns at once. */
  start(): void;
  /** Lists every provider again; resolves when all have answered or failed. */
  refresh(): Promise<void>;
  /** Providers that can be used, with their listing state. */
  status(): readonly ProviderStatus[];
  /** Providers that cannot be used, and why (no key, no base_url). */
  unavailable(): readonly UnavailableProvider[];
  close(): void;
}

const DEFAULT_DISCOVERY_TIMEOUT_MS = 500;
/** Distinct (provider, model) pairs kept built; more than a session switches between. */
const MAX_CACHED_MODELS = 64;
const DEFAULT_LISTING_TIMEOUT_MS = 15_000;
const DEFAULT_RELIST_LOCAL_MS = 30_000;
const DEFAULT_RETRY_FAILED_MS = 5 * 60_000;

export function createModelGateway(config: ProvidersConfig, deps: ModelGatewayDeps): ManagedModelGateway {
  const { enabled, unavailable } = resolveProviders(config, deps.env);
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const clock = deps.clock ?? { now: () => Date.now() };
  const secrets = enabled.flatMap((p) => (p.apiKey ? [p.apiKey] : []));
  const statuses = new Map<string, ProviderStatus>(
    enabled.map((p) => [
      p.name,
      { name: p.name, type: p.type, label: p.adapter.label, baseUrl: p.baseUrl, origin: p.origin, keySource: p.keySource, state: 'listing', models: [] },
    ]),
  );
  const listeners = new Set<() => void>();
  const closing = new AbortController();
  let models: readonly ModelInfo[] = [];

  const connection = (p: ResolvedProvider): Connection => ({ name: p.name, baseUrl: p.baseUrl, apiKey: p.apiKey, fetch: fetchFn, attribution: p.attribution });

  // Building an AI SDK model builds its zod chunk schemas: done once per (provider, model), not
  // once per reply.
  const builtModels = new Map<string, Promise<LanguageModelV3>>();
  function languageModel(p: ResolvedProvider, modelId: string): Promise<LanguageModelV3> {
    const key = `${p.name}\u0000${modelId}`;
    const known = builtModels.get(key);
    if (known) return known;
    if (builtModels.size >= MAX_CACHED_MODELS) builtModels.clear();
    const building = p.adapter.languageModel(connection(p), modelId).then((model) => specV3(model, p.name));
    builtModels.set(key, building);
    building.catch(() => builtModels.delete(key));
    return building;
  }

  function publish(): void {
    const next = enabled.flatMap((p) => statuses.get(p.name)?.models ?? []);
    if (JSON.stringify(next) === JSON.stringify(models)) return;
    models = next;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        deps.logger.error('models-changed listener failed', { error: String(error) });
      }
    }
  }

  async function listProvider(p: ResolvedProvider): Promise<void> {
    const timeoutMs = p.origin === 'discovered' ? (deps.discoveryTimeoutMs ?? DEFAULT_DISCOVERY_TIMEOUT_MS) : (deps.listingTimeoutMs ?? DEFAULT_LISTING_TIMEOUT_MS);
    const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(timeoutMs)]);
    const status = statuses.get(p.name);
    if (!status) return;
    const before = { state: status.state, detail: status.detail };
    let listed: ListedModel[] = [];
    try {
      listed = await p.adapter.listModels(connection(p), { signal });
      status.state = 'ready';
      status.detail = undefined;
      if (before.state === 'not-answering' || before.state === 'failed') deps.logger.info('model server answering again', { provider: p.name, url: p.baseUrl });
    } catch (error) {
      if (closing.signal.aborted) return;
      const detail = redact(error instanceof Error ? error.message : String(error), secrets);
      status.detail = detail;
      // Listing repeats in the background: say so once per change, not on every attempt.
      const changed = before.detail !== detail;
      if (p.origin === 'discovered') {
        status.state = 'not-answering';
        if (before.state !== 'not-answering') deps.logger.info('no local model server answering', { provider: p.name, url: p.baseUrl });
        status.models = [];
        publish();
        return;
      }
      status.state = 'failed';
      if (changed) deps.logger.warn('could not list models', { provider: p.name, url: p.baseUrl, error: detail });
    }
    status.models = catalogFor(p, listed);
    publish();
  }

  function target(modelId: string): { provider: ResolvedProvider; providerModelId: string } | { error: StreamPart } {
    const split = splitModelId(modelId);
    const provider = split && enabled.find((p) => p.name === split.providerName);
    if (split && provider) {
      if (provider.restrictModels && !provider.configModels.some((m) => m.id === split.providerModelId)) {
        return { error: errorPart('unknown_model', provider.name, `${provider.name} offers only the models listed in the config; "${split.providerModelId}" is not one of them. Pick one with /model.`) };
      }
      return { provider, providerModelId: split.providerModelId };
    }
    const missing = split && unavailable.find((p) => p.name === split.providerName);
    if (missing) return { error: errorPart('auth', missing.name, `Provider ${missing.name} cannot be used: ${missing.reason}.`) };
    // A bare provider model id works when exactly one provider lists it.
    const matches = models.filter((m) => m.id === `${m.provider}/${modelId}`);
    const only = matches.length === 1 ? matches[0] : undefined;
    const owner = only && enabled.find((p) => p.name === only.provider);
    if (owner) return { provider: owner, providerModelId: modelId };
    const known = enabled.map((p) => p.name).join(', ') || 'none';
    return {
      error: errorPart('unknown_model', split?.providerName ?? 'flower', `Unknown model "${modelId}". Model ids look like <provider>/<model>; providers available: ${known}. \`flower models\` lists the models.`),
    };
  }

  // A plain function, not a generator around the resilient stream: each generator layer costs
  // promise hops on every part.
  function stream(request: ChatRequest): AsyncIterable<StreamPart> {
    const found = target(request.modelId);
    if ('error' in found) return only(found.error);
    const { provider, providerModelId } = found;
    const sampling = samplingFor(
      provider.configModels.find((m) => m.id === providerModelId),
      request.maxOutputTokens,
    );
    const context: ErrorContext = {
      provider: provider.name,
      label: provider.adapter.label,
      baseUrl: provider.baseUrl,
      modelId: providerModelId,
      local: provider.local,
      keySource: provider.keySource,
      secrets,
    };
    const prompt = modelPrompt(request.messages);
    // The model's own stream, without `streamText` around it: its steps, tool loop, telemetry and
    // chunk recording cost several times the provider's parsing per chunk, and a reply needs none
    // of them. Retries are ours (before the first token only, honouring Retry-After).
    const open = async (signal: AbortSignal): Promise<UpstreamParts> => {
      const model = await languageModel(provider, providerModelId);
      const { stream } = await model.doStream({
        prompt,
        temperature: sampling.temperature,
        topP: sampling.topP,
        maxOutputTokens: sampling.maxOutputTokens,
        abortSignal: signal,
        includeRawChunks: false,
      });
      return stream;
    };
    return resilientStream({
      open,
      signal: request.signal,
      context,
      stallTimeoutMs: config.stall_timeout_ms,
      retry: deps.retryPolicy ?? DEFAULT_RETRY_POLICY,
      clock,
      sleep: deps.sleep ?? abortableSleep,
      logger: deps.logger,
    });
  }

  // One listing per provider at a time: a slow server is not asked again while it thinks.
  const inFlight = new Map<string, Promise<void>>();
  const list = (p: ResolvedProvider): Promise<void> => {
    const running = inFlight.get(p.name);
    if (running) return running;
    const job = listProvider(p).finally(() => inFlight.delete(p.name));
    inFlight.set(p.name, job);
    return job;
  };
  const refresh = async (): Promise<void> => {
    await Promise.all(enabled.map((p) => list(p)));
  };
  const relistWhere = (wanted: (p: ResolvedProvider) => boolean): void => {
    for (const p of enabled.filter(wanted)) {
      list(p).catch((error: unknown) => deps.logger.error('model listing failed', { provider: p.name, error: redact(String(error), secrets) }));
    }
  };
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, work: () => void): void => {
    const timer = setInterval(work, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    listModels: () => models,
    onModelsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    defaultModel: () => config.default_model,
    stream,
    start() {
      void refresh().catch((error: unknown) => deps.logger.error('model listing failed', { error: redact(String(error), secrets) }));
      if (timers.length > 0) return;
      every(deps.relistLocalEveryMs ?? DEFAULT_RELIST_LOCAL_MS, () => relistWhere((p) => p.local));
      every(deps.retryFailedEveryMs ?? DEFAULT_RETRY_FAILED_MS, () => relistWhere((p) => !p.local && statuses.get(p.name)?.state === 'failed'));
    },
    refresh,
    status: () => enabled.map((p) => statuses.get(p.name)).filter((s): s is ProviderStatus => s !== undefined),
    unavailable: () => unavailable,
    close() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      closing.abort();
      listeners.clear();
    },
  };
}

/** The messages as the model interface takes them (what `streamText` did with plain-text messages). */
function modelPrompt(messages: readonly ChatMessage[]): LanguageModelV3Prompt {
  return messages.map((m): LanguageModelV3Prompt[number] =>
    m.role === 'system' ? { role: 'system', content: m.content } : { role: m.role, content: [{ type: 'text', text: m.content }] },
  );
}

/** Every adapter builds a v3 model (the AI SDK 6 provider packages); anything else is a bug there. */
function specV3(model: LanguageModel, provider: string): LanguageModelV3 {
  if (typeof model === 'object' && model.specificationVersion === 'v3') return model;
  const spec = typeof model === 'string' ? 'a model id string' : `specification ${model.specificationVersion}`;
  throw new Error(`provider ${provider} built ${spec}; the gateway streams only v3 language models`);
}

async function* only(part: StreamPart): AsyncGenerator<StreamPart> {
  yield part;
}

function errorPart(kind: Extract<StreamPart, { type: 'error' }>['kind'], provider: string, message: string): StreamPart {
  return { type: 'error', kind, message, provider };
}
