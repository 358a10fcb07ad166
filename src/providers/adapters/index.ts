/** Every provider type and its adapter; the config's `type` picks one. */
import type { ProviderType } from '../../config/providers-config.ts';
import type { ProviderAdapter } from '../adapter.ts';
import { anthropicAdapter } from './anthropic.ts';
import { deepSeekAdapter } from './deepseek.ts';
import { geminiAdapter } from './gemini.ts';
import { groqAdapter } from './groq.ts';
import { koboldCppAdapter } from './koboldcpp.ts';
import { llamaCppAdapter } from './llamacpp.ts';
import { lmStudioAdapter } from './lmstudio.ts';
import { mistralAdapter } from './mistral.ts';
import { ollamaAdapter } from './ollama.ts';
import { openAiCompatibleAdapter } from './openai-compatible.ts';
import { openAiAdapter } from './openai.ts';
import { openRouterAdapter } from './openrouter.ts';

export const ADAPTERS: Readonly<Record<ProviderType, ProviderAdapter>> = {
  openrouter: openRouterAdapter,
  openai: openAiAdapter,
  deepseek: deepSeekAdapter,
  groq: groqAdapter,
  mistral: mistralAdapter,
  'openai-compatible': openAiCompatibleAdapter,
  gemini: geminiAdapter,
  anthropic: anthropicAdapter,
  ollama: ollamaAdapter,
  lmstudio: lmStudioAdapter,
  llamacpp: llamaCppAdapter,
  koboldcpp: koboldCppAdapter,
};
