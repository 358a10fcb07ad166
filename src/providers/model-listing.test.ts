/** Model listing per wire format, merged with config entries, through the gateway. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAnthropicServer } from '../../test/support/anthropic-sse-server.ts';
import { startGeminiServer } from '../../test/support/gemini-sse-server.ts';
import { ollamaTags, startOllamaServer } from '../../test/support/ollama-server.ts';
import { startOpenAiServer } from '../../test/support/openai-sse-server.ts';
import { collect, request, testGateway, textOf } from './test-kit.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
const track = <T extends { close(): Promise<void> }>(server: T): T => {
  closers.push(() => server.close());
  return server;
};

describe('OpenRouter listing', () => {
  it('lists names, prices in USD per million tokens and context length, with attribution headers', async () => {
    const server = track(
      await startOpenAiServer({
        models: [
          { id: 'anthropic/claude-sonnet-4', name: 'Anthropic: Claude Sonnet 4', pricing: { prompt: '0.000003', completion: '0.000015' }, context_length: 200000 },
          { id: 'meta-llama/llama-3.3-70b-instruct:free', name: 'Meta: Llama 3.3 70B (free)', pricing: { prompt: '0', completion: '0' }, context_length: 131072 },
        ],
      }),
    );
    const { gateway } = testGateway({
      providers: { openrouter: { type: 'openrouter', base_url: server.url, attribution: { url: 'https://example.test/flower', title: 'Flower Test' } } },
    }, { env: { OPENROUTER_API_KEY: 'or-key-123456' } });
    await gateway.refresh();
    expect(gateway.listModels()).toEqual([
      { id: 'openrouter/anthropic/claude-sonnet-4', name: 'Anthropic: Claude Sonnet 4', provider: 'openrouter', promptPrice: 3, completionPrice: 15, contextLength: 200000 },
      { id: 'openrouter/meta-llama/llama-3.3-70b-instruct:free', name: 'Meta: Llama 3.3 70B (free)', provider: 'openrouter', promptPrice: 0, completionPrice: 0, contextLength: 131072 },
    ]);
    const listing = server.requests.find((r) => r.method === 'GET');
    expect(listing?.headers.authorization).toBe('Bearer or-key-123456');
    expect(listing?.headers['http-referer']).toBe('https://example.test/flower');
    expect(listing?.headers['x-title']).toBe('Flower Test');

    const parts = await collect(gateway.stream(request('openrouter/anthropic/claude-sonnet-4')));
    expect(textOf(parts)).toBe('Hello there.');
    const chat = server.requests.find((r) => r.method === 'POST');
    expect(chat?.headers['http-referer']).toBe('https://example.test/flower');
    expect(chat?.headers['x-title']).toBe('Flower Test');
    expect(chat?.body).toMatchObject({ model: 'anthropic/claude-sonnet-4', usage: { include: true } });
  });
});

describe('OpenRouter attribution by default', () => {
  it('names the app and sends no HTTP-Referer unless the config gives a URL', async () => {
    const server = track(await startOpenAiServer({ models: [{ id: 'a/b', name: 'B' }] }));
    const { gateway } = testGateway({ providers: { openrouter: { type: 'openrouter', base_url: server.url } } }, { env: { OPENROUTER_API_KEY: 'or-key-123456' } });
    await gateway.refresh();
    const listing = server.requests.find((r) => r.method === 'GET');
    expect(listing?.headers['x-title']).toBe('Flower');
    expect(listing?.headers).not.toHaveProperty('http-referer');
  });
});

describe('Gemini listing', () => {
  it('follows pages, keeps only generateContent models and reads the input token limit', async () => {
    const server = track(
      await startGeminiServer({
        pageSize: 1,
        models: [
          { name: 'models/gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1048576 },
          { name: 'models/text-embedding-004', displayName: 'Text Embedding 004', inputTokenLimit: 2048, supportedGenerationMethods: ['embedContent'] },
          { name: 'models/gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1048576 },
        ],
      }),
    );
    const { gateway } = testGateway({ providers: { gemini: { type: 'gemini', base_url: server.url, api_key: 'AIza-secret-key' } } });
    await gateway.refresh();
    expect(gateway.listModels().map((m) => [m.id, m.name, m.contextLength])).toEqual([
      ['gemini/gemini-2.5-pro', 'Gemini 2.5 Pro', 1048576],
      ['gemini/gemini-2.5-flash', 'Gemini 2.5 Flash', 1048576],
    ]);
    const listings = server.requests.filter((r) => r.method === 'GET');
    expect(listings).toHaveLength(3);
    expect(listings[0]?.headers['x-goog-api-key']).toBe('AIza-secret-key');
    expect(listings.every((r) => !r.query.has('key'))).toBe(true);
  });
});

describe('Anthropic listing', () => {
  it('lists models with their display names', async () => {
    const server = track(await startAnthropicServer({ models: [{ id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1' }, { id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5' }] }));
    const { gateway } = testGateway({ providers: { claude: { type: 'anthropic', base_url: server.url } } }, { env: { ANTHROPIC_API_KEY: 'sk-ant-xyz-123' } });
    await gateway.refresh();
    expect(gateway.listModels().map((m) => [m.id, m.name])).toEqual([
      ['claude/claude-opus-4-1-20250805', 'Claude Opus 4.1'],
      ['claude/claude-3-5-haiku-20241022', 'Claude Haiku 3.5'],
    ]);
    const listing = server.requests.find((r) => r.method === 'GET');
    expect(listing?.headers['x-api-key']).toBe('sk-ant-xyz-123');
    expect(listing?.headers['anthropic-version']).toBe('2023-06-01');
  });
});

describe('local servers', () => {
  it('lists Ollama models from /api/tags and chats through its /v1 endpoint', async () => {
    const server = track(await startOllamaServer([{ name: 'llama3.1:8b' }, { name: 'mistral-nemo:12b', family: 'mistral' }]));
    const { gateway } = testGateway({ providers: { ollama: { type: 'ollama', base_url: server.root } } });
    await gateway.refresh();
    expect(gateway.listModels().map((m) => m.id)).toEqual(['ollama/llama3.1:8b', 'ollama/mistral-nemo:12b']);
    expect(server.requests[0]?.path).toBe('/api/tags');
    expect(textOf(await collect(gateway.stream(request('ollama/llama3.1:8b'))))).toBe('Hello there.');
    expect(server.requests.at(-1)?.path).toBe('/v1/chat/completions');
  });

  it('falls back to KoboldCpp /api/v1/model when /v1/models fails', async () => {
    const server = track(await startOpenAiServer({ modelsStatus: 404, routes: { '/api/v1/model': { result: 'koboldcpp/Mistral-Nemo-12B' } } }));
    const { gateway } = testGateway({ providers: { kobold: { type: 'koboldcpp', base_url: server.url } } });
    await gateway.refresh();
    expect(gateway.listModels()).toEqual([{ id: 'kobold/koboldcpp/Mistral-Nemo-12B', name: 'Mistral-Nemo-12B', provider: 'kobold', promptPrice: 0, completionPrice: 0 }]);
  });

  it('discovers local servers that answer on their ports and skips the silent ones', async () => {
    const ollama = track(await startOllamaServer([{ name: 'qwen3:8b' }]));
    const silent = await startOpenAiServer();
    const silentPort = Number(new URL(silent.url).port);
    await silent.close();
    const { gateway, logger } = testGateway({
      local_discovery: true,
      local_ports: { ollama: Number(new URL(ollama.root).port), lmstudio: silentPort, llamacpp: silentPort, koboldcpp: silentPort },
    });
    await gateway.refresh();
    expect(gateway.listModels().map((m) => m.id)).toEqual(['ollama/qwen3:8b']);
    expect(gateway.status().find((s) => s.name === 'lmstudio')?.state).toBe('not-answering');
    expect(logger.lines.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  it('finds a local server started after Flower, and says so once, not on every probe', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { gateway, logger } = testGateway(
      { local_discovery: true, local_ports: { ollama: port, lmstudio: port, llamacpp: port, koboldcpp: port } },
      { relistLocalEveryMs: 20, discoveryTimeoutMs: 200 },
    );
    closers.push(async () => gateway.close());
    let changes = 0;
    gateway.onModelsChanged(() => changes++);
    gateway.start();
    await vi.waitFor(() => expect(gateway.status().find((s) => s.name === 'ollama')?.state).toBe('not-answering'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const silentLines = logger.lines.filter((line) => line.includes('ollama') && line.includes('no local model server answering'));
    expect(silentLines).toHaveLength(1);

    const late: Server = createServer((request, response) => {
      response.writeHead(request.url === '/api/tags' ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(request.url === '/api/tags' ? ollamaTags([{ name: 'qwen3:8b' }]) : { error: 'not found' }));
    });
    await new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => late.close(() => resolve())));
    await vi.waitFor(() => expect(gateway.listModels().map((m) => m.id)).toEqual(['ollama/qwen3:8b']), { timeout: 3000 });
    expect(changes).toBe(1);
  });

  it('does not probe anything when local discovery is off', async () => {
    const { gateway } = testGateway({ local_discovery: false });
    expect(gateway.status()).toEqual([]);
  });
});

describe('keys and enabling', () => {
  it('never lists or calls a provider without a key', async () => {
    const server = track(await startOpenAiServer());
    const { gateway } = testGateway({ providers: { openai: { type: 'openai', base_url: server.url } } });
    await gateway.refresh();
    expect(gateway.listModels()).toEqual([]);
    expect(gateway.unavailable().find((u) => u.name === 'openai')?.reason).toContain('OPENAI_API_KEY');
    const parts = await collect(gateway.stream(request('openai/gpt-4o')));
    expect(parts).toEqual([{ type: 'error', kind: 'auth', provider: 'openai', message: expect.stringContaining('set OPENAI_API_KEY') }]);
    expect(server.requests).toEqual([]);
  });

  it('reads the key from api_key_env', async () => {
    const server = track(await startOpenAiServer());
    const { gateway } = testGateway({ providers: { work: { type: 'openai-compatible', base_url: server.url, api_key_env: 'WORK_PROXY_KEY' } } }, { env: { WORK_PROXY_KEY: 'wk-777777' } });
    await gateway.refresh();
    expect(server.requests[0]?.headers.authorization).toBe('Bearer wk-777777');
  });

  it('enables well-known providers from their env key alone, named after the type', async () => {
    const urls: string[] = [];
    const offline: typeof fetch = async (input) => {
      urls.push(String(input));
      throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    };
    const { gateway, logger } = testGateway({}, { env: { GROQ_API_KEY: 'gsk_abcdef123456', GOOGLE_GENERATIVE_AI_API_KEY: 'AIza-zzzzzz' }, fetch: offline });
    await gateway.refresh();
    expect(gateway.status().map((s) => [s.name, s.keySource])).toEqual([
      ['groq', 'GROQ_API_KEY'],
      ['gemini', 'GOOGLE_GENERATIVE_AI_API_KEY'],
    ]);
    expect(urls.sort()).toEqual(['https://api.groq.com/openai/v1/models', 'https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000']);
    expect(gateway.status().every((s) => s.state === 'failed')).toBe(true);
    const log = logger.lines.join('\n');
    expect(log).toContain('could not list models');
    expect(log).not.toContain('gsk_abcdef123456');
    expect(log).not.toContain('AIza-zzzzzz');
  });
});

describe('config models', () => {
  it('adds config models and overrides listed details', async () => {
    const server = track(await startOpenAiServer({ models: [{ id: 'listed-a' }, { id: 'listed-b' }] }));
    const { gateway } = testGateway({
      providers: {
        lab: {
          type: 'openai-compatible',
          base_url: server.url,
          models: [
            { id: 'listed-a', name: 'Model A', context_length: 32768, prompt_price: 0.5, completion_price: 1.5 },
            { id: 'extra', name: 'Extra' },
          ],
        },
      },
    });
    await gateway.refresh();
    expect(gateway.listModels()).toEqual([
      { id: 'lab/listed-a', name: 'Model A', provider: 'lab', promptPrice: 0.5, completionPrice: 1.5, contextLength: 32768 },
      { id: 'lab/listed-b', name: 'listed-b', provider: 'lab', promptPrice: 0, completionPrice: 0 },
      { id: 'lab/extra', name: 'Extra', provider: 'lab', promptPrice: 0, completionPrice: 0 },
    ]);
  });

  it('restricts to config models and refuses others', async () => {
    const server = track(await startOpenAiServer({ models: [{ id: 'a' }, { id: 'b' }] }));
    const { gateway } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url, restrict_models: true, models: [{ id: 'b' }] } } });
    await gateway.refresh();
    expect(gateway.listModels().map((m) => m.id)).toEqual(['lab/b']);
    expect((await collect(gateway.stream(request('lab/a'))))[0]).toMatchObject({ type: 'error', kind: 'unknown_model' });
  });

  it('keeps config models usable when listing fails, and logs the failure', async () => {
    const server = track(await startOpenAiServer({ modelsStatus: 401 }));
    const { gateway, logger } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url, api_key: 'lab-key-99999', models: [{ id: 'pinned' }] } } });
    await gateway.refresh();
    expect(gateway.listModels().map((m) => m.id)).toEqual(['lab/pinned']);
    expect(gateway.status()[0]).toMatchObject({ state: 'failed', detail: expect.stringContaining('HTTP 401') });
    expect(logger.lines.join('\n')).toMatch(/warn could not list models .*HTTP 401/);
    expect(logger.lines.join('\n')).not.toContain('lab-key-99999');
  });

  it('sends per-model sampling settings, with roleplay defaults otherwise', async () => {
    const server = track(await startOpenAiServer());
    const { gateway } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url, models: [{ id: 'tuned', temperature: 1.1, top_p: 0.9, max_output_tokens: 300 }] } } });
    await collect(gateway.stream(request('lab/tuned')));
    await collect(gateway.stream(request('lab/plain')));
    await collect(gateway.stream({ ...request('lab/plain'), maxOutputTokens: 64 }));
    const bodies = server.requests.filter((r) => r.method === 'POST').map((r) => r.body);
    expect(bodies[0]).toMatchObject({ temperature: 1.1, top_p: 0.9, max_tokens: 300 });
    expect(bodies[1]).toMatchObject({ temperature: 0.8, max_tokens: 1024 });
    expect(bodies[1]).not.toHaveProperty('top_p');
    expect(bodies[2]).toMatchObject({ max_tokens: 64 });
  });
});

describe('gateway', () => {
  it('notifies listeners when the model list changes, and starts without waiting', async () => {
    const server = track(await startOpenAiServer({ models: [{ id: 'm1' }] }));
    const { gateway } = testGateway({ default_model: 'lab/m1', providers: { lab: { type: 'openai-compatible', base_url: server.url } } });
    const changed = new Promise<void>((resolve) => gateway.onModelsChanged(resolve));
    gateway.start();
    expect(gateway.listModels()).toEqual([]);
    await changed;
    expect(gateway.listModels().map((m) => m.id)).toEqual(['lab/m1']);
    expect(gateway.defaultModel()).toBe('lab/m1');
    let calls = 0;
    gateway.onModelsChanged(() => calls++);
    await gateway.refresh();
    expect(calls).toBe(0);
    gateway.close();
  });

  it('accepts a bare model id that exactly one provider lists', async () => {
    const server = track(await startOpenAiServer({ models: [{ id: 'solo-model' }] }));
    const { gateway } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url } } });
    await gateway.refresh();
    expect(textOf(await collect(gateway.stream(request('solo-model'))))).toBe('Hello there.');
  });

  it('explains an id naming no provider', async () => {
    const { gateway } = testGateway({});
    const [part] = await collect(gateway.stream(request('nowhere/model')));
    expect(part).toMatchObject({ type: 'error', kind: 'unknown_model', message: expect.stringContaining('<provider>/<model>') });
  });
});
