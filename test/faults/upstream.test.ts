/**
 * Upstream faults staged through the real server over real sockets, a real SQLite file and a
 * local OpenAI-format streaming server: a stall, a dropped connection, garbage instead of SSE,
 * an error status and a refused connection. Each ends with an `error` then exactly one
 * `chat_end`; the player's message and whatever text arrived are stored.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, makeDataDir, prepareStage, startFlower, type RunningFlower } from '../e2e/helpers/flower.ts';
import type { TestClient } from '../e2e/helpers/ws-client.ts';
import { startOpenAiServer, type OpenAiServer, type ScriptedReply } from '../support/openai-sse-server.ts';
import type { AnyServerEvent } from '../../src/protocol/index.ts';
import { addConfig, chunkText, historyOf, storedMessages } from './support.ts';

const STALL_MS = 400;

let upstream: OpenAiServer;
let script: () => ScriptedReply = () => ({ chunks: ['Hello', ' there.'] });
let dir: ReturnType<typeof makeDataDir> | undefined;
let flower: RunningFlower | undefined;
const clients: TestClient[] = [];

beforeAll(async () => {
  upstream = await startOpenAiServer({ reply: () => script() });
});
afterAll(() => upstream.close());
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await flower?.close();
  flower = undefined;
  dir?.remove();
  dir = undefined;
});

async function boot(configure?: (configFile: string) => void): Promise<{ client: TestClient; sessionId: string }> {
  dir = makeDataDir(upstream.url);
  addConfig(dir.configFile, `stall_timeout_ms: ${STALL_MS}`);
  configure?.(dir.configFile);
  flower = await startFlower(dir.dataDir, dir.configFile);
  const client = await connect();
  const sessionId = await prepareStage(client);
  return { client, sessionId };
}

async function connect(): Promise<TestClient> {
  const client = await connectClient(flower!.url);
  clients.push(client);
  return client;
}

/** Plays one turn and returns its events, from the prompt to its `chat_end`. */
async function turn(client: TestClient, prompt: string) {
  client.skip();
  const from = client.position;
  client.send(prompt);
  const end = await client.next('chat_end');
  const events = client.events.slice(from, client.events.indexOf(end) + 1);
  return { events, end };
}

function expectErrorThenOneEnd(events: AnyServerEvent[]) {
  const names = events.map((event) => event.event);
  const error = names.indexOf('error');
  expect(error, `an error event in ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
  expect(names.lastIndexOf('chat_end')).toBeGreaterThan(error);
  expect(names.filter((name) => name === 'chat_end')).toHaveLength(1);
  expect(names.slice(error)).not.toContain('chat_chunk');
}

/** The last two stored messages of the session, the player's and the narrator's. */
function lastExchange(sessionId: string) {
  const messages = storedMessages(flower!.paths.database, sessionId);
  return { user: messages.at(-2), reply: messages.at(-1) };
}

/** A port nothing listens on: bound, read, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('faults: the upstream', () => {
  it('ends a stalled stream with a stall error and chat_end, keeping the text that arrived', async () => {
    script = () => ({ chunks: ['The door ', 'creaks ', 'open', ' and then'], stallAfter: 3 });
    const { client, sessionId } = await boot();
    const { events } = await turn(client, 'I push the door.');
    expectErrorThenOneEnd(events);
    const error = events.find((event) => event.event === 'error')!;
    expect(error.content).toMatch(/stopped sending/);
    expect(error.content).toMatch(/stall_timeout_ms/);
    expect(chunkText(events)).toBe('The door creaks open');
    const { user, reply } = lastExchange(sessionId);
    expect(user).toMatchObject({ role: 'user', content: 'I push the door.', status: 'complete' });
    expect(reply).toMatchObject({ role: 'assistant', content: 'The door creaks open', status: 'failed' });
    expect(client.badFrames).toEqual([]);
  });

  it('ends a dropped stream with an error and chat_end, keeping the text that arrived', async () => {
    script = () => ({ chunks: ['Rain ', 'falls ', 'harder ', 'now.'], dropAfter: 2, delayMs: 10 });
    const { client, sessionId } = await boot();
    const { events } = await turn(client, 'I wait.');
    expectErrorThenOneEnd(events);
    // Destroying the socket may also discard the last chunk written before it: a prefix arrives.
    const streamed = chunkText(events);
    expect('Rain falls '.startsWith(streamed)).toBe(true);
    const { user, reply } = lastExchange(sessionId);
    expect(user).toMatchObject({ role: 'user', content: 'I wait.' });
    expect(reply).toMatchObject({ role: 'assistant', content: streamed, status: 'failed' });
  });

  it('answers garbage instead of SSE with an error and chat_end, and keeps the player message', async () => {
    script = () => ({ raw: 'this is not server-sent events\n{"choices": "nope"}\n\ndata: {broken json\n\n' });
    const { client, sessionId } = await boot();
    const { events } = await turn(client, 'I listen.');
    expectErrorThenOneEnd(events);
    expect(chunkText(events)).toBe('');
    const { user, reply } = lastExchange(sessionId);
    expect(user).toMatchObject({ role: 'user', content: 'I listen.' });
    expect(reply).toMatchObject({ role: 'assistant', status: 'failed' });
  });

  it('answers an error status with a readable error naming the provider, then chat_end', async () => {
    script = () => ({ status: 400, errorBody: { error: { message: 'scripted bad request', type: 'invalid_request_error' } } });
    const { client, sessionId } = await boot();
    const { events } = await turn(client, 'I shout.');
    expectErrorThenOneEnd(events);
    expect(events.find((event) => event.event === 'error')!.content).toMatch(/local/);
    expect(lastExchange(sessionId).user).toMatchObject({ role: 'user', content: 'I shout.' });
  });

  it('answers a refused connection with an error and chat_end, and keeps the player message', async () => {
    const port = await closedPort();
    const { client, sessionId } = await boot((configFile) =>
      writeFileSync(
        configFile,
        [
          'local_discovery: false',
          `stall_timeout_ms: ${STALL_MS}`,
          'providers:',
          '  local:',
          '    type: openai-compatible',
          `    base_url: http://127.0.0.1:${port}/v1`,
          '    models:',
          '      - id: test-model',
        ].join('\n'),
      ),
    );
    const { events } = await turn(client, 'I knock.');
    expectErrorThenOneEnd(events);
    const error = events.find((event) => event.event === 'error')!;
    expect(error.content).toMatch(/local/);
    expect(lastExchange(sessionId).user).toMatchObject({ role: 'user', content: 'I knock.' });
    // The engine is still fine: a command answers.
    expect((await client.ask('/world select desert')).content).toBe('Active world set to desert');
  });

  it('finishes and stores a reply whose only client disconnected; a reconnecting client sees it', async () => {
    const full = Array.from({ length: 30 }, (_, i) => `c${i} `);
    script = () => ({ chunks: full, delayMs: 15 });
    const { client, sessionId } = await boot();
    client.skip();
    client.send('I run for the door.');
    await client.next('chat_chunk');
    client.socket.terminate();
    await client.closed;

    await expect
      .poll(() => lastExchange(sessionId).reply, { timeout: 15_000, interval: 50 })
      .toMatchObject({ role: 'assistant', content: full.join(''), status: 'complete' });

    const again = await connect();
    const continued = await again.ask(`/session continue ${sessionId}`, 'chat_history');
    expect(historyOf(continued).slice(-2)).toEqual([
      { role: 'user', content: 'I run for the door.' },
      { role: 'assistant', content: full.join('') },
    ]);
    expect(again.badFrames).toEqual([]);
  });
});
