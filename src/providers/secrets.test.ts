/** API keys never appear in an error message or a log line, whatever the upstream echoes back. */
import { afterEach, expect, it } from 'vitest';
import { startOpenAiServer, type ScriptedReply } from '../../test/support/openai-sse-server.ts';
import { runModelsReport } from './models-report.ts';
import { providersConfigSchema } from '../config/providers-config.ts';
import { collect, request, testGateway } from './test-kit.ts';

const KEY = 'sk-or-v1-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c';
const echo = (status: number, message: string): ScriptedReply => ({ status, errorBody: { error: { message: `${message} (key ${KEY})`, code: status } } });

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

it('keeps the key out of every error message and log line', async () => {
  const scripts: ScriptedReply[] = [
    echo(401, 'Incorrect API key provided'),
    echo(404, 'The model does not exist'),
    echo(400, "This model's maximum context length is 4096 tokens"),
    echo(400, 'Your request was rejected by the content management policy'),
    echo(500, 'Internal error'),
    echo(429, 'Rate limit reached'),
    echo(402, 'Insufficient credits'),
    { raw: `data: {"error": "bad ${KEY}"\n\n` },
  ];
  const server = await startOpenAiServer({ modelsStatus: 401, reply: (_b, i) => scripts[i % scripts.length] ?? {} });
  closers.push(() => server.close());
  const { gateway, logger } = testGateway(
    { providers: { openrouter: { type: 'openrouter', base_url: server.url } } },
    { env: { OPENROUTER_API_KEY: KEY }, retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } },
  );
  await gateway.refresh();
  const messages: string[] = [];
  for (let i = 0; i < scripts.length; i++) {
    for (const part of await collect(gateway.stream(request('openrouter/some/model')))) if (part.type === 'error') messages.push(part.message);
  }
  expect(messages).toHaveLength(scripts.length);
  expect(new Set(messages.map((m) => m.slice(0, 40))).size).toBeGreaterThan(3);
  expect(messages.some((m) => m.includes('***'))).toBe(true);
  for (const line of [...messages, ...logger.lines, ...gateway.status().map((s) => s.detail ?? '')]) expect(line).not.toContain(KEY);

  const report: string[] = [];
  await runModelsReport(providersConfigSchema.parse({ local_discovery: false, providers: { openrouter: { type: 'openrouter', base_url: server.url } } }), { OPENROUTER_API_KEY: KEY }, (line) => report.push(line));
  expect(report.join('\n')).toContain('listing failed');
  expect(report.join('\n')).not.toContain(KEY);
});
