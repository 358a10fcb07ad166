import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conceptVector } from '../../test/support/concept-embeddings.ts';
import { startEmbeddingsServer, type EmbeddingsServer } from '../../test/support/embeddings-server.ts';
import { providersConfigSchema, type ProvidersConfig, type ProvidersConfigInput } from '../config/providers-config.ts';
import { createBuiltinEmbeddings } from './builtin-embeddings.ts';
import { createOpenAiEmbeddings, EmbeddingError, resolveEmbeddingModel } from './embeddings.ts';

const KEY = 'sk-test-secret-embeddings-key';
let server: EmbeddingsServer;
beforeAll(async () => {
  server = await startEmbeddingsServer({ apiKey: KEY, models: ['concepts'] });
});
afterAll(() => server.close());

const rejection = async (work: Promise<unknown>): Promise<Error> => {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
};

describe('OpenAI-format embeddings client', () => {
  it('embeds in batches, keeping input order even when the server reorders', async () => {
    const model = createOpenAiEmbeddings({ baseUrl: `${server.baseUrl}/`, apiKey: KEY, model: 'concepts', provider: 'local', batchSize: 2 });
    const texts = ['the lighthouse lamp', 'a herring tax', 'the king died', 'dusk at sea', 'plain words'];
    const before = server.batches().length;
    const vectors = await model.embed(texts);
    expect(model.id).toBe('local/concepts');
    expect(vectors).toEqual(texts.map(conceptVector));
    expect(server.batches().slice(before)).toEqual([texts.slice(0, 2), texts.slice(2, 4), texts.slice(4)]);
    const sent = server.requests.at(-1);
    expect(sent?.body).toEqual({ model: 'concepts', input: ['plain words'] });
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('sends nothing for no texts', async () => {
    const model = createOpenAiEmbeddings({ baseUrl: server.baseUrl, apiKey: KEY, model: 'concepts' });
    const before = server.requests.length;
    expect(await model.embed([])).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  it('names the provider, URL and cause of a failure, never the key', async () => {
    const wrongKey = createOpenAiEmbeddings({ baseUrl: server.baseUrl, apiKey: 'sk-wrong-key-123', model: 'concepts', provider: 'local' });
    const auth = await rejection(wrongKey.embed(['x']));
    expect(auth).toBeInstanceOf(EmbeddingError);
    expect(auth.message).toContain(`local embeddings (concepts) at ${server.baseUrl}/embeddings: HTTP 401 (check the API key): Incorrect API key provided`);
    expect(auth.message).not.toContain('sk-wrong-key-123');

    const unknownModel = createOpenAiEmbeddings({ baseUrl: server.baseUrl, apiKey: KEY, model: 'nope', provider: 'local' });
    expect((await rejection(unknownModel.embed(['x']))).message).toMatch(/HTTP 404 .*model "nope" not found/);

    server.failNext(503);
    const model = createOpenAiEmbeddings({ baseUrl: server.baseUrl, apiKey: KEY, model: 'concepts', provider: 'local' });
    expect((await rejection(model.embed(['x']))).message).toMatch(/HTTP 503: scripted failure 503/);
    expect(await model.embed(['lamp'])).toEqual([conceptVector('lamp')]);
  });

  it('reports an endpoint that is down', async () => {
    const down = await startEmbeddingsServer();
    const base = down.baseUrl;
    await down.close();
    const model = createOpenAiEmbeddings({ baseUrl: base, apiKey: KEY, model: 'concepts', provider: 'ollama' });
    const error = await rejection(model.embed(['x']));
    expect(error.message).toMatch(new RegExp(`^ollama embeddings \\(concepts\\) at ${base}/embeddings: cannot connect \\(ECONNREFUSED\\)`));
    expect(error.message).not.toContain(KEY);
  });

  it('rejects a response of the wrong shape', async () => {
    const reply = (body: unknown) => async () => new Response(JSON.stringify(body), { status: 200 });
    const make = (body: unknown) => createOpenAiEmbeddings({ baseUrl: 'http://embed.test/v1', model: 'm', fetch: reply(body) });
    expect((await rejection(make({}).embed(['a']))).message).toMatch(/no `data` array/);
    expect((await rejection(make({ data: [] }).embed(['a']))).message).toMatch(/asked for 1 embeddings, got 0/);
    expect((await rejection(make({ data: [{ index: 0, embedding: ['x'] }] }).embed(['a']))).message).toMatch(/not a list of numbers/);
    const ragged = { data: [{ index: 0, embedding: [1, 2] }, { index: 1, embedding: [1] }] };
    expect((await rejection(make(ragged).embed(['a', 'b']))).message).toMatch(/differ in length/);
    const twice = { data: [{ index: 0, embedding: [1] }, { index: 0, embedding: [2] }] };
    expect((await rejection(make(twice).embed(['a', 'b']))).message).toMatch(/out of place/);
  });

  it('stops when aborted', async () => {
    const model = createOpenAiEmbeddings({ baseUrl: server.baseUrl, apiKey: KEY, model: 'concepts' });
    const controller = new AbortController();
    controller.abort(new Error('turn ended'));
    expect((await rejection(model.embed(['x'], controller.signal))).message).toBe('turn ended');
  });
});

describe('resolveEmbeddingModel', () => {
  const config = (input: ProvidersConfigInput) => providersConfigSchema.parse({ local_discovery: false, ...input });

  it('is off when the config names no embeddings', () => {
    expect(resolveEmbeddingModel(config({}), {})).toBeUndefined();
  });

  it("uses the named provider's base URL and key", async () => {
    const model = resolveEmbeddingModel(
      config({ providers: { home: { type: 'openai-compatible', base_url: server.baseUrl, api_key_env: 'HOME_KEY' } }, embeddings: { provider: 'home', model: 'concepts' } }),
      { HOME_KEY: KEY },
    );
    expect(model?.id).toBe('home/concepts');
    expect(await model?.embed(['the lamp'])).toEqual([conceptVector('the lamp')]);
  });

  it("reaches a local server's /v1 whatever its base_url says", async () => {
    const model = resolveEmbeddingModel(
      config({ providers: { box: { type: 'ollama', base_url: server.origin, api_key: KEY } }, embeddings: { provider: 'box', model: 'concepts' } }),
      {},
    );
    expect(await model?.embed(['dusk'])).toEqual([conceptVector('dusk')]);
  });

  it('says why when the provider cannot be used', () => {
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    expect(resolveEmbeddingModel(config({ embeddings: { provider: 'nowhere', model: 'm' } }), {}, { warn })).toBeUndefined();
    expect(resolveEmbeddingModel(config({ providers: { claude: { type: 'anthropic', api_key: 'k' } }, embeddings: { provider: 'claude', model: 'm' } }), {}, { warn })).toBeUndefined();
    expect(resolveEmbeddingModel(config({ providers: { oa: { type: 'openai', api_key_env: 'MISSING_KEY' } }, embeddings: { provider: 'oa', model: 'm' } }), {}, { warn })).toBeUndefined();
    expect(warnings).toEqual([
      'embeddings are off: no provider named "nowhere" (available: none; or "builtin" (offline, models: hashed-ngrams-512)); lore and memory use BM25 only',
      'embeddings are off: provider "claude" (anthropic) has no embeddings endpoint; lore and memory use BM25 only',
      'embeddings are off: provider "oa" is unavailable (no API key: set MISSING_KEY (named by api_key_env)); lore and memory use BM25 only',
    ]);
  });

  it('gives the built-in model for provider builtin, with no provider configured and no network', async () => {
    const refuse = async (): Promise<Response> => {
      throw new Error('the built-in model must not fetch');
    };
    const warnings: string[] = [];
    const model = resolveEmbeddingModel(config({ embeddings: { provider: 'builtin', model: 'hashed-ngrams-512' } }), {}, { fetch: refuse, warn: (m) => warnings.push(m) });
    expect(model?.id).toBe('builtin/hashed-ngrams-512@1');
    expect(await model?.embed(['Aldric the smith'])).toEqual(await createBuiltinEmbeddings('hashed-ngrams-512').embed(['Aldric the smith']));
    expect(warnings).toEqual([]);
  });

  it('names the valid built-in models when a config built in code asks for another', () => {
    const warnings: string[] = [];
    // The YAML schema refuses this id; a config assembled in code does not pass through it.
    const unchecked: ProvidersConfig = { ...config({}), embeddings: { provider: 'builtin', model: 'word2vec' } };
    expect(resolveEmbeddingModel(unchecked, {}, { warn: (m) => warnings.push(m) })).toBeUndefined();
    expect(warnings).toEqual(['embeddings are off: no built-in embedding model "word2vec" (valid: hashed-ngrams-512); lore and memory use BM25 only']);
  });
});
