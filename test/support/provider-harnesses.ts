/**
 * One harness per provider type: starts the local server that speaks that provider's wire
 * format and translates a uniform script into it, so every adapter runs the same contract
 * tests (streaming, usage, reasoning, each error class, retries, stall, abort).
 */
import type { ProviderEntry, ProviderType } from '../../src/config/providers-config.ts';
import { startAnthropicServer } from './anthropic-sse-server.ts';
import { startGeminiServer } from './gemini-sse-server.ts';
import { startOllamaServer } from './ollama-server.ts';
import { startOpenAiServer, type ScriptedReply } from './openai-sse-server.ts';

export interface UniformScript {
  chunks?: string[];
  reasoning?: string[];
  usage?: { input: number; output: number };
  status?: number;
  /** The provider's own error message for a non-200 status. */
  errorMessage?: string;
  headers?: Record<string, string>;
  stallAfter?: number;
  delayMs?: number;
  /** End with the provider's content-filter / refusal finish. */
  contentFilter?: boolean;
}

export interface HarnessServer {
  /** The config entry for this provider (without a key). */
  entry: ProviderEntry;
  /** Chat requests received so far. */
  chatRequests(): Array<{ headers: Record<string, string | string[] | undefined>; body: unknown }>;
  aborted(): number;
  close(): Promise<void>;
}

export interface Harness {
  type: ProviderType;
  modelId: string;
  reasoning: boolean;
  contentFilter: boolean;
  /** Recorded wording of this provider's errors. */
  contextLengthError: { status: number; message: string };
  unknownModelError: { status: number; message: string };
  start(reply: (index: number) => UniformScript): Promise<HarnessServer>;
}

const openAiError = (message: string, code: string | null = null) => ({ error: { message, type: 'invalid_request_error', param: null, code } });

function openAiStyle(
  type: ProviderType,
  extra: { reasoning?: ScriptedReply['reasoningField'] | false; usageStyle?: ScriptedReply['usageStyle']; contentFilter?: boolean; local?: 'ollama' } = {},
): Harness {
  return {
    type,
    modelId: 'test-model',
    reasoning: extra.reasoning !== false,
    contentFilter: extra.contentFilter ?? true,
    contextLengthError: { status: 400, message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9321 tokens. Please reduce the length of the messages." },
    unknownModelError: { status: 404, message: 'The model `test-model` does not exist or you do not have access to it.' },
    async start(reply) {
      const toScript = (script: UniformScript): ScriptedReply => ({
        chunks: script.chunks,
        reasoning: script.reasoning,
        reasoningField: extra.reasoning || undefined,
        usage: script.usage && { prompt_tokens: script.usage.input, completion_tokens: script.usage.output },
        usageStyle: extra.usageStyle,
        status: script.status,
        errorBody: script.errorMessage ? openAiError(script.errorMessage) : undefined,
        headers: script.headers,
        stallAfter: script.stallAfter,
        delayMs: script.delayMs,
        finishReason: script.contentFilter ? 'content_filter' : undefined,
      });
      const options = { models: [{ id: 'test-model' }], reply: (_body: unknown, index: number) => toScript(reply(index)) };
      const server = extra.local === 'ollama' ? await startOllamaServer([{ name: 'test-model' }], options) : await startOpenAiServer(options);
      return {
        entry: { type, base_url: server.url },
        chatRequests: () => server.requests.filter((r) => r.method === 'POST'),
        aborted: () => server.aborted,
        close: () => server.close(),
      };
    },
  };
}

const anthropicHarness: Harness = {
  type: 'anthropic',
  modelId: 'claude-sonnet-4-20250514',
  reasoning: true,
  contentFilter: true,
  contextLengthError: { status: 400, message: 'prompt is too long: 208123 tokens > 200000 maximum' },
  unknownModelError: { status: 404, message: 'model: claude-nonexistent' },
  async start(reply) {
    const server = await startAnthropicServer({
      reply: (_body, index) => {
        const script = reply(index);
        return {
          chunks: script.chunks,
          thinking: script.reasoning,
          usage: script.usage && { input_tokens: script.usage.input, output_tokens: script.usage.output },
          status: script.status,
          errorBody: script.errorMessage ? { type: 'error', error: { type: script.status === 404 ? 'not_found_error' : 'invalid_request_error', message: script.errorMessage } } : undefined,
          headers: script.headers,
          stallAfter: script.stallAfter,
          delayMs: script.delayMs,
          stopReason: script.contentFilter ? 'refusal' : undefined,
        };
      },
    });
    return {
      entry: { type: 'anthropic', base_url: server.url },
      chatRequests: () => server.requests.filter((r) => r.method === 'POST'),
      aborted: () => server.aborted,
      close: () => server.close(),
    };
  },
};

const geminiHarness: Harness = {
  type: 'gemini',
  modelId: 'gemini-2.5-flash',
  reasoning: true,
  contentFilter: true,
  contextLengthError: { status: 400, message: 'The input token count (1203456) exceeds the maximum number of tokens allowed (1048576).' },
  unknownModelError: { status: 404, message: 'models/gemini-9 is not found for API version v1beta, or is not supported for generateContent.' },
  async start(reply) {
    const server = await startGeminiServer({
      reply: (_body, _model, index) => {
        const script = reply(index);
        return {
          chunks: script.chunks,
          thoughts: script.reasoning,
          usage: script.usage && { promptTokenCount: script.usage.input, candidatesTokenCount: script.usage.output },
          status: script.status,
          errorBody: script.errorMessage ? { error: { code: script.status, message: script.errorMessage, status: 'INVALID_ARGUMENT' } } : undefined,
          headers: script.headers,
          stallAfter: script.stallAfter,
          delayMs: script.delayMs,
          finishReason: script.contentFilter ? 'SAFETY' : undefined,
        };
      },
    });
    return {
      entry: { type: 'gemini', base_url: server.url },
      chatRequests: () => server.requests.filter((r) => r.method === 'POST'),
      aborted: () => server.aborted,
      close: () => server.close(),
    };
  },
};

export const HARNESSES: readonly Harness[] = [
  openAiStyle('openrouter', { reasoning: 'reasoning' }),
  openAiStyle('openai', { reasoning: false }),
  openAiStyle('deepseek', { reasoning: 'reasoning_content' }),
  openAiStyle('groq', { reasoning: 'reasoning', usageStyle: 'x_groq' }),
  openAiStyle('mistral', { reasoning: false, usageStyle: 'with-finish', contentFilter: false }),
  openAiStyle('openai-compatible', { reasoning: 'reasoning_content' }),
  openAiStyle('lmstudio', { reasoning: 'reasoning_content' }),
  openAiStyle('llamacpp', { reasoning: 'reasoning_content' }),
  openAiStyle('koboldcpp', { reasoning: 'reasoning_content' }),
  openAiStyle('ollama', { reasoning: 'reasoning', local: 'ollama' }),
  anthropicHarness,
  geminiHarness,
];
