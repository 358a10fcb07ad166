/** Retry limits, Retry-After handling, mid-stream failures and unreadable responses. */
import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicServer } from '../../test/support/anthropic-sse-server.ts';
import { startOpenAiServer } from '../../test/support/openai-sse-server.ts';
import { parseRetryAfter } from './errors.ts';
import { abortableSleep } from './resilient-stream.ts';
import { collect, errorOf, request, testGateway, textOf } from './test-kit.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function openAi(reply: Parameters<typeof startOpenAiServer>[0]) {
  const server = await startOpenAiServer(reply);
  closers.push(() => server.close());
  return server;
}

describe('retries', () => {
  it('gives up after the bounded number of attempts with exponential backoff', async () => {
    const server = await openAi({ reply: () => ({ status: 503 }) });
    const { gateway, sleeps } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url } } });
    const error = errorOf(await collect(gateway.stream(request('lab/m'))));
    expect(error).toMatchObject({ kind: 'upstream', message: expect.stringMatching(/server error \(HTTP 503\).*tried 4 times/) });
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(4);
  });

  it('caps a long Retry-After', async () => {
    const server = await openAi({ reply: (_b, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '3600' } } : { chunks: ['ok'] }) });
    const { gateway, sleeps } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url } } });
    expect(textOf(await collect(gateway.stream(request('lab/m'))))).toBe('ok');
    expect(sleeps).toEqual([30_000]);
  });

  it('does not retry client errors', async () => {
    const server = await openAi({ reply: () => ({ status: 403 }) });
    const { gateway, sleeps } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url } } });
    expect(errorOf(await collect(gateway.stream(request('lab/m'))))?.kind).toBe('auth');
    expect(sleeps).toEqual([]);
  });

  it('stops waiting to retry when the caller cancels', async () => {
    const server = await openAi({ reply: () => ({ status: 500 }) });
    const controller = new AbortController();
    const { gateway } = testGateway(
      { providers: { lab: { type: 'openai-compatible', base_url: server.url } } },
      {
        sleep: (_ms, signal) => {
          const waiting = abortableSleep(60_000, signal);
          controller.abort();
          return waiting;
        },
      },
    );
    const parts = await collect(gateway.stream(request('lab/m', controller.signal)));
    expect(parts).toEqual([expect.objectContaining({ type: 'error', kind: 'aborted' })]);
  });

  it('retries an Anthropic overloaded error event before the first token, not after', async () => {
    const before = await startAnthropicServer({ reply: (_b, i) => (i === 0 ? { chunks: ['x'], errorEventAfter: 0 } : { chunks: ['Fine.'] }) });
    const after = await startAnthropicServer({ reply: () => ({ chunks: ['Half', 'way'], errorEventAfter: 1 }) });
    closers.push(() => before.close(), () => after.close());
    const { gateway } = testGateway({ providers: { a: { type: 'anthropic', base_url: before.url, api_key: 'k-1234' }, b: { type: 'anthropic', base_url: after.url, api_key: 'k-1234' } } });
    expect(textOf(await collect(gateway.stream(request('a/claude'))))).toBe('Fine.');
    const parts = await collect(gateway.stream(request('b/claude')));
    expect(textOf(parts)).toBe('Half');
    expect(errorOf(parts)).toMatchObject({ kind: 'upstream', message: expect.stringContaining('Overloaded') });
    expect(after.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('broken responses', () => {
  it('reports garbage from the server as an unreadable response', async () => {
    const server = await openAi({ reply: () => ({ raw: 'data: {"choices": [{"delta": {"content": 42}}]}\n\ndata: not json at all\n\n' }) });
    const { gateway } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url } } });
    const error = errorOf(await collect(gateway.stream(request('lab/m'))));
    expect(error).toMatchObject({ kind: 'bad_response', message: expect.stringContaining('could not read') });
  });

  it('reports an HTML error page by status without dumping the page', async () => {
    const server = await openAi({ reply: () => ({ status: 418, errorBody: '<html><body>teapot</body></html>' }) });
    const { gateway } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url } } });
    const error = errorOf(await collect(gateway.stream(request('lab/m'))));
    expect(error?.message).toBe('lab (OpenAI-compatible endpoint) answered HTTP 418.');
  });

  it('ends with an error when the connection drops mid-reply, keeping the text', async () => {
    const server = await openAi({ reply: () => ({ chunks: ['one', 'two', 'three', 'four'], dropAfter: 3, delayMs: 20 }) });
    const { gateway } = testGateway({ providers: { lab: { type: 'openai-compatible', base_url: server.url } } });
    const parts = await collect(gateway.stream(request('lab/m')));
    // the last piece before the drop may be lost with the socket; what arrived is kept
    expect(textOf(parts)).toMatch(/^onetwo(three)?$/);
    expect(parts.at(-1)).toMatchObject({ type: 'error', kind: 'network', message: expect.stringContaining('The connection to lab') });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'Retry-After': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '3' }, now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, now)).toBe(10_000);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
