import { describe, expect, it } from 'vitest';
import { providersConfigSchema } from './providers-config.ts';

describe('providers config', () => {
  it('applies defaults', () => {
    expect(providersConfigSchema.parse({})).toEqual({ providers: {}, stall_timeout_ms: 60_000, local_discovery: true });
  });

  it('accepts a full entry', () => {
    const config = providersConfigSchema.parse({
      default_model: 'claude/claude-sonnet-4-20250514',
      providers: {
        claude: { type: 'anthropic', base_url: 'https://proxy.example.com/v1', api_key_env: 'CLAUDE_KEY', models: [{ id: 'claude-sonnet-4-20250514', temperature: 1, max_output_tokens: 2000 }], restrict_models: true },
      },
      embeddings: { provider: 'ollama', model: 'nomic-embed-text' },
      stall_timeout_ms: 90_000,
      local_discovery: false,
      local_ports: { ollama: 11435 },
    });
    expect(config.providers.claude?.models?.[0]?.max_output_tokens).toBe(2000);
  });

  it('selects a built-in embedding model with provider builtin', () => {
    expect(providersConfigSchema.parse({ embeddings: { provider: 'builtin', model: 'hashed-ngrams-512' } }).embeddings).toEqual({
      provider: 'builtin',
      model: 'hashed-ngrams-512',
    });
    // Another provider's model ids are that provider's business, checked when it is reached.
    expect(providersConfigSchema.parse({ embeddings: { provider: 'home', model: 'hashed-ngrams-256' } }).embeddings?.model).toBe('hashed-ngrams-256');
  });

  it.each([
    [{ providers: { x: { type: 'bedrock' } } }, 'type'],
    [{ providers: { 'a/b': { type: 'openai' } } }, 'provider names may use'],
    [{ providers: { x: { type: 'openai', base_url: 'not a url' } } }, 'base_url'],
    [{ providers: { x: { type: 'openai', models: [{ id: 'm', temperature: 5 }] } } }, 'temperature'],
    [{ local_ports: { ollama: 70000 } }, 'ollama'],
    [{ providers: { x: { type: 'openai', api_kye: 'sk-1' } } }, 'api_kye'],
    [{ providers: { builtin: { type: 'openai' } } }, '\\"builtin\\" is reserved for Flower\'s built-in embedding models'],
    [{ embeddings: { provider: 'builtin', model: 'hashed-ngrams-256' } }, 'unknown built-in embedding model \\"hashed-ngrams-256\\" (valid: hashed-ngrams-512)'],
  ])('rejects %j naming the problem', (input, hint) => {
    const result = providersConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(hint);
  });
});
