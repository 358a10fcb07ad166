/**
 * The provider part of the YAML config file (`default_model`, `providers`, `embeddings`,
 * streaming and local-discovery settings). The full config loader (config.ts) composes this.
 */
import { z } from 'zod';

export const PROVIDER_TYPES = [
  'openrouter',
  'openai',
  'deepseek',
  'groq',
  'mistral',
  'openai-compatible',
  'gemini',
  'anthropic',
  'ollama',
  'lmstudio',
  'llamacpp',
  'koboldcpp',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const LOCAL_PROVIDER_TYPES = ['ollama', 'lmstudio', 'llamacpp', 'koboldcpp'] as const satisfies readonly ProviderType[];
export type LocalProviderType = (typeof LOCAL_PROVIDER_TYPES)[number];

/** Provider names prefix model ids (`<name>/<model>`), so they cannot contain a slash. */
export const PROVIDER_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

const port = z.number().int().min(1).max(65535);

export const modelEntrySchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  context_length: z.number().int().positive().optional(),
  /** USD per million input tokens. */
  prompt_price: z.number().nonnegative().optional(),
  /** USD per million output tokens. */
  completion_price: z.number().nonnegative().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  max_output_tokens: z.number().int().positive().optional(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const providerEntrySchema = z.strictObject({
  type: z.enum(PROVIDER_TYPES),
  base_url: z.url().optional(),
  api_key: z.string().min(1).optional(),
  /** Name of the environment variable holding the key. */
  api_key_env: z.string().min(1).optional(),
  /** Models to add to the listing (or, with `restrict_models`, the only models offered). */
  models: z.array(modelEntrySchema).optional(),
  restrict_models: z.boolean().optional(),
  /** OpenRouter app attribution (`HTTP-Referer`, `X-Title`). */
  attribution: z.strictObject({ url: z.string().optional(), title: z.string().optional() }).optional(),
});
export type ProviderEntry = z.infer<typeof providerEntrySchema>;

/**
 * `embeddings: {provider: builtin, model: <id>}` selects one of Flower's own offline embedding
 * models (src/providers/builtin-embeddings.ts), so no configured provider may take this name.
 */
export const BUILTIN_EMBEDDINGS_PROVIDER = 'builtin';
export const BUILTIN_EMBEDDING_MODEL_IDS = ['hashed-ngrams-512'] as const;
export type BuiltinEmbeddingModelId = (typeof BUILTIN_EMBEDDING_MODEL_IDS)[number];
export const isBuiltinEmbeddingModelId = (id: string): id is BuiltinEmbeddingModelId => (BUILTIN_EMBEDDING_MODEL_IDS as readonly string[]).includes(id);

const providerName = z
  .string()
  .regex(PROVIDER_NAME_PATTERN, 'provider names may use letters, digits, "_", "." and "-" (no "/")')
  .refine((name) => name !== BUILTIN_EMBEDDINGS_PROVIDER, {
    message: `"${BUILTIN_EMBEDDINGS_PROVIDER}" is reserved for Flower's built-in embedding models; give this provider another name`,
  });

/** `{provider, model}`: a configured provider's embeddings endpoint, or `builtin` and one of its model ids. */
export const embeddingsConfigSchema = z
  .strictObject({ provider: z.string().min(1), model: z.string().min(1) })
  .superRefine((entry, ctx) => {
    if (entry.provider !== BUILTIN_EMBEDDINGS_PROVIDER || isBuiltinEmbeddingModelId(entry.model)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['model'],
      message: `unknown built-in embedding model "${entry.model}" (valid: ${BUILTIN_EMBEDDING_MODEL_IDS.join(', ')})`,
    });
  });

/** Nested objects are strict so a typo (`api_kye:`) is reported, not silently dropped. */
export const providersConfigSchema = z.object({
  default_model: z.string().min(1).optional(),
  providers: z.record(providerName, providerEntrySchema).default({}),
  embeddings: embeddingsConfigSchema.optional(),
  /** A reply that sends nothing for this long is ended with a `stall` error. */
  stall_timeout_ms: z.number().int().positive().default(60_000),
  /** Probe local servers (Ollama, LM Studio, llama.cpp, KoboldCpp) on loopback at start. */
  local_discovery: z.boolean().default(true),
  /** Ports probed by local discovery, overriding the servers' defaults. */
  local_ports: z
    .strictObject({ ollama: port.optional(), lmstudio: port.optional(), llamacpp: port.optional(), koboldcpp: port.optional() })
    .optional(),
});

export type ProvidersConfig = z.infer<typeof providersConfigSchema>;
/** What a config file may contain before defaults are applied. */
export type ProvidersConfigInput = z.input<typeof providersConfigSchema>;
