/**
 * What each provider type supplies: where it lives by default, which env vars hold its key,
 * how to build an AI SDK language model for it and how to list its models.
 */
import type { LanguageModel } from 'ai';
import type { ProviderType } from '../config/providers-config.ts';

export type FetchFunction = typeof fetch;

/** A resolved provider instance, as the adapter needs it to make requests. */
export interface Connection {
  /** The provider name from the config (or the type for implicit providers). */
  name: string;
  baseUrl: string;
  apiKey?: string;
  fetch: FetchFunction;
  attribution?: { url?: string; title?: string };
}

/** A model as a provider lists it; prices in USD per million tokens. */
export interface ListedModel {
  id: string;
  name?: string;
  promptPrice?: number;
  completionPrice?: number;
  contextLength?: number;
}

export interface ListOptions {
  signal: AbortSignal;
}

export interface ProviderAdapter {
  type: ProviderType;
  /** Human name, used in messages ("Anthropic", "LM Studio"). */
  label: string;
  defaultBaseUrl: string;
  /** Conventional env vars for the key, first wins; empty when the type needs no key. */
  keyEnvVars: readonly string[];
  /** Whether calls need a key at all. */
  needsKey: boolean;
  /** Default loopback port for local servers found by discovery. */
  defaultPort?: number;
  /** Base URLs of local servers are the server root; this normalises what the user wrote. */
  normalizeBaseUrl?(url: string): string;
  /**
   * Builds the AI SDK model. Async so each SDK package loads on first use: a start-up pays
   * only for the providers actually used.
   */
  languageModel(connection: Connection, modelId: string): Promise<LanguageModel>;
  listModels(connection: Connection, options: ListOptions): Promise<ListedModel[]>;
}
