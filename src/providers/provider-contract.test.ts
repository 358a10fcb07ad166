/**
 * The same contract for every provider type, each against a local server speaking that
 * provider's real wire format: streaming text and usage, reasoning kept apart, each error
 * class, retries, stall timeout and abort.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HARNESSES, type HarnessServer, type UniformScript } from '../../test/support/provider-harnesses.ts';
import { collect, errorOf, finishOf, reasoningOf, request, testGateway, textOf } from './test-kit.ts';

const KEY = 'sk-test-SECRET-0123456789abcdef';

describe.each(HARNESSES)('$type provider', (harness) => {
  let server: HarnessServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup(reply: (index: number) => UniformScript, config: { stall_timeout_ms?: number } = {}) {
    server = await harness.start(reply);
    const kit = testGateway({ ...config, providers: { p: { ...server.entry, api_key: KEY } } });
    return { ...kit, server, modelId: `p/${harness.modelId}` };
  }

  it('streams text and reports usage', async () => {
    const { gateway, modelId, server } = await setup(() => ({ chunks: ['The door', ' creaks open.'], usage: { input: 31, output: 7 } }));
    const parts = await collect(gateway.stream(request(modelId)));
    expect(textOf(parts)).toBe('The door creaks open.');
    expect(finishOf(parts)).toMatchObject({ usage: { inputTokens: 31, outputTokens: 7 }, finishReason: 'stop' });
    expect(parts.at(-1)?.type).toBe('finish');
    const sent = JSON.stringify(server.chatRequests()[0]);
    expect(sent).toContain('I open the door.');
    expect(sent).toContain('You are the narrator.');
  });

  it.runIf(harness.reasoning)('keeps reasoning apart from the narration', async () => {
    const { gateway, modelId } = await setup(() => ({ reasoning: ['The player', ' wants drama.'], chunks: ['A gust of wind.'], usage: { input: 5, output: 9 } }));
    const parts = await collect(gateway.stream(request(modelId)));
    expect(reasoningOf(parts)).toBe('The player wants drama.');
    expect(textOf(parts)).toBe('A gust of wind.');
  });

  it('explains a refused key (401) without repeating the key', async () => {
    const { gateway, modelId, logger } = await setup(() => ({ status: 401, errorMessage: `Incorrect API key provided: ${KEY}` }));
    const parts = await collect(gateway.stream(request(modelId)));
    const error = errorOf(parts);
    expect(error).toMatchObject({ kind: 'auth', provider: 'p' });
    expect(error?.message).toMatch(/refused the API key/);
    expect(error?.message).toContain('the api_key of provider p in the config file');
    expect(error?.message).toContain('Incorrect API key provided: ***');
    expect(JSON.stringify(parts)).not.toContain(KEY);
    expect(logger.lines.join('\n')).not.toContain(KEY);
  });

  it('explains an unknown model', async () => {
    const { gateway, modelId } = await setup(() => ({ status: harness.unknownModelError.status, errorMessage: harness.unknownModelError.message }));
    const error = errorOf(await collect(gateway.stream(request(modelId))));
    expect(error?.kind).toBe('unknown_model');
    expect(error?.message).toContain(harness.modelId);
    expect(error?.message).toContain('/model');
  });

  it('explains an exceeded context length', async () => {
    const { gateway, modelId } = await setup(() => ({ status: harness.contextLengthError.status, errorMessage: harness.contextLengthError.message }));
    const error = errorOf(await collect(gateway.stream(request(modelId))));
    expect(error?.kind).toBe('context_length');
    expect(error?.message).toMatch(/too long for .* Start a new session/);
  });

  it.runIf(harness.contentFilter)('explains a content-filter refusal', async () => {
    const { gateway, modelId } = await setup(() => ({ chunks: ['I'], contentFilter: true }));
    const parts = await collect(gateway.stream(request(modelId)));
    expect(errorOf(parts)).toMatchObject({ kind: 'content_filter', provider: 'p' });
    expect(errorOf(parts)?.message).toMatch(/content filter/);
  });

  it('retries a server error before the first token, then succeeds', async () => {
    const { gateway, modelId, server, sleeps } = await setup((index) => (index === 0 ? { status: 500 } : { chunks: ['Recovered.'] }));
    const parts = await collect(gateway.stream(request(modelId)));
    expect(textOf(parts)).toBe('Recovered.');
    expect(errorOf(parts)).toBeUndefined();
    expect(server.chatRequests()).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('honours Retry-After on 429', async () => {
    const { gateway, modelId, server, sleeps } = await setup((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '7' } } : { chunks: ['Go on.'] }));
    const parts = await collect(gateway.stream(request(modelId)));
    expect(textOf(parts)).toBe('Go on.');
    expect(sleeps).toEqual([7000]);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('ends a stalled reply with a stall error, keeping the partial text and closing the request', async () => {
    const { gateway, modelId, server } = await setup(() => ({ chunks: ['Half a', ' sentence', ' never sent'], stallAfter: 2 }), { stall_timeout_ms: 300 });
    const parts = await collect(gateway.stream(request(modelId)));
    expect(textOf(parts)).toBe('Half a sentence');
    expect(errorOf(parts)).toMatchObject({ kind: 'stall', provider: 'p' });
    expect(errorOf(parts)?.message).toMatch(/stopped sending .* kept/);
    await vi.waitFor(() => expect(server.aborted()).toBe(1));
  });

  it('abort stops the upstream HTTP request', async () => {
    const { gateway, modelId, server } = await setup(() => ({ chunks: Array.from({ length: 200 }, (_, i) => `w${i} `), delayMs: 20 }));
    const controller = new AbortController();
    const parts = await collect(gateway.stream(request(modelId, controller.signal)), (part) => {
      if (part.type === 'text') controller.abort();
    });
    expect(errorOf(parts)?.kind).toBe('aborted');
    expect(textOf(parts).length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(server.aborted()).toBe(1));
  });
});

describe.each(HARNESSES)('$type provider, nothing listening', (harness) => {
  it('says the connection was refused and where', async () => {
    const server = await harness.start(() => ({}));
    await server.close();
    const { gateway } = testGateway({ providers: { p: { ...server.entry, api_key: KEY } } }, { retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
    const error = errorOf(await collect(gateway.stream(request(`p/${harness.modelId}`))));
    expect(error?.kind).toBe('network');
    expect(error?.message).toContain('Could not reach p');
    expect(error?.message).toContain('connection was refused');
    expect(error?.message).toContain('127.0.0.1');
    expect(error?.message).toContain('tried 2 times');
  });
});
