/**
 * A whole story over a real socket, a real SQLite file and a local server speaking the OpenAI
 * streaming format: handshake, session life cycle, cancel, upstream failure, restart, broadcast.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startOpenAiServer, type OpenAiServer, type ScriptedReply } from '../support/openai-sse-server.ts';
import { connectClient, HARBOR_START, makeDataDir, MODEL, prepareStage, startFlower, type RunningFlower } from './helpers/flower.ts';
import type { TestClient } from './helpers/ws-client.ts';
import type { AnyServerEvent } from '../../src/protocol/index.ts';

let upstream: OpenAiServer;
let script: (index: number) => ScriptedReply = () => ({ chunks: ['Hello', ' there.'] });
let dir: ReturnType<typeof makeDataDir>;
let flower: RunningFlower | undefined;
const clients: TestClient[] = [];

beforeAll(async () => {
  upstream = await startOpenAiServer({ reply: (_body, index) => script(index) });
});
afterAll(() => upstream.close());

async function boot(): Promise<RunningFlower> {
  dir = makeDataDir(upstream.url);
  flower = await startFlower(dir.dataDir, dir.configFile);
  return flower;
}

async function connect(url: string): Promise<TestClient> {
  const client = await connectClient(url);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await flower?.close();
  flower = undefined;
  dir.remove();
  script = () => ({ chunks: ['Hello', ' there.'] });
});

const chunksOf = (events: AnyServerEvent[]) => events.filter((event) => event.event === 'chat_chunk').map((event) => event.content);
/** Role and content of each history entry (newer engines add keys such as `id` and `n`). */
const history = (event: AnyServerEvent) => (event.metadata.history as Array<{ role: string; content: string }>).map(({ role, content }) => ({ role, content }));

describe('end to end: a story session', () => {
  it('sends the handshake in order with the full sync_state', async () => {
    const { url } = await boot();
    const client = await connect(url);
    expect(client.events[0]).toEqual({ event: 'system_update', content: '✓ Engine ready.', metadata: { status: 'ok' } });
    expect(client.events[1]?.event).toBe('sync_state');
    expect(client.events[1]?.content).toBe('State synchronized');
    const state = client.events[1]!.metadata;
    for (const key of ['model', 'model_confirmed', 'world_id', 'character_id', 'session_id', 'available_worlds', 'available_characters', 'available_models', 'available_rules', 'active_rules', 'available_sessions']) {
      expect(state, key).toHaveProperty(key);
    }
    expect(state.available_worlds).toEqual(expect.arrayContaining([{ id: 'harbor', name: 'Greywater Harbor' }, { id: 'desert', name: 'The Glass Desert' }]));
    expect(client.badFrames).toEqual([]);
  });

  it('plays a whole session: select, model, new, a streamed turn, continue, delete', async () => {
    const { url, paths } = await boot();
    script = () => ({ chunks: ['The gulls ', 'scream ', 'overhead.'], usage: { prompt_tokens: 50, completion_tokens: 7 } });
    const client = await connect(url);

    const world = await client.ask('/world select harbor');
    expect(world).toMatchObject({ content: 'Active world set to harbor', metadata: { world_id: 'harbor' } });
    expect((await client.next('sync_state')).metadata.world_id).toBe('harbor');
    const character = await client.ask('/character select mara');
    expect(character).toMatchObject({ content: 'Active character set to mara', metadata: { character_id: 'mara' } });

    const sessionId = await prepareStage(client);
    expect(sessionId).toMatch(/^[0-9a-f]{12}$/);
    const model = client.events.find((event) => event.content === `Hot-swapped model to ${MODEL}`);
    expect(model?.metadata).toMatchObject({ model: MODEL, model_confirmed: true });
    const startHistory = client.events.filter((event) => event.event === 'chat_history').at(-1)!;
    expect(history(startHistory)).toEqual([{ role: 'assistant', content: HARBOR_START }]);

    client.skip();
    client.send('I walk to the pier.');
    const end = await client.next('chat_end');
    const turn = client.events.slice(client.events.indexOf(end) - 10);
    expect(chunksOf(turn).join('')).toBe('The gulls scream overhead.');
    expect(end.metadata.total_tokens).toBe(7);
    const chunk = turn.find((event) => event.event === 'chat_chunk')!;
    expect(chunk.metadata).toMatchObject({ model: MODEL });
    expect(typeof chunk.metadata.tokens_per_second).toBe('number');
    expect(client.events.filter((event) => event.event === 'chat_end')).toHaveLength(1);

    const request = upstream.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!;
    const body = request.body as { model: string; messages: Array<{ role: string; content: string }> };
    expect(body.model).toBe('test-model');
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages[0]?.content).toContain('Never speak for the player character.');
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'I walk to the pier.' });

    const continued = await client.ask(`/session continue ${sessionId}`, 'chat_history');
    expect(history(continued)).toEqual([
      { role: 'assistant', content: HARBOR_START },
      { role: 'user', content: 'I walk to the pier.' },
      { role: 'assistant', content: 'The gulls scream overhead.' },
    ]);
    const synced = await client.next('sync_state');
    expect(synced.metadata.session_id).toBe(sessionId);
    expect(synced.metadata.available_sessions).toContainEqual({ id: sessionId, name: '[harbor] mara: I walk to the pier.' });

    const deleted = await client.ask(`/session delete ${sessionId}`);
    expect(deleted.content).toBe(`✓ Deleted session ${sessionId}`);
    const afterDelete = await client.next('sync_state');
    expect(afterDelete.metadata.available_sessions).toEqual([]);
    expect(afterDelete.metadata.session_id).toBe('');
    expect((await client.ask(`/session continue ${sessionId}`)).content).toMatch(/^✗/);

    const db = new Database(paths.database, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
    db.close();
    expect(client.badFrames).toEqual([]);
  });

  it('keeps the partial reply when the player cancels mid-stream', async () => {
    const { url } = await boot();
    const full = Array.from({ length: 200 }, (_, i) => `w${i} `);
    script = () => ({ chunks: full, delayMs: 30 });
    const client = await connect(url);
    const sessionId = await prepareStage(client);

    client.skip();
    client.send('I open the crate.');
    await client.next('chat_chunk');
    client.send('/cancel');
    const cancelled = await client.next((event) => event.content === '✗ Stream cancelled by user.');
    const end = await client.next('chat_end');
    const sinceCancel = client.events.slice(client.events.indexOf(cancelled));
    expect(sinceCancel.filter((event) => event.event === 'chat_chunk')).toEqual([]);
    expect(client.events.indexOf(end)).toBeGreaterThan(client.events.indexOf(cancelled));
    const streamed = chunksOf(client.events).join('');
    expect(streamed.length).toBeGreaterThan(0);

    const again = await connect(url);
    const continued = await again.ask(`/session continue ${sessionId}`, 'chat_history');
    const messages = history(continued);
    expect(messages.at(-2)).toEqual({ role: 'user', content: 'I open the crate.' });
    expect(messages.at(-1)?.role).toBe('assistant');
    expect(messages.at(-1)?.content.startsWith(streamed.trim())).toBe(true);
    expect(messages.at(-1)!.content.length).toBeLessThan(full.join('').trim().length);
    await expect.poll(() => upstream.aborted).toBeGreaterThan(0);
  });

  it('keeps the player message when the upstream fails, and sends error then chat_end', async () => {
    const { url } = await boot();
    script = () => ({ status: 500 });
    const client = await connect(url);
    const sessionId = await prepareStage(client);

    client.skip();
    client.send('I shout for help.');
    const error = await client.next('error');
    expect(error.content).toMatch(/local/);
    const end = await client.next('chat_end');
    expect(client.events.indexOf(end)).toBeGreaterThan(client.events.indexOf(error));
    expect(chunksOf(client.pending())).toEqual([]);

    const continued = await client.ask(`/session continue ${sessionId}`, 'chat_history');
    expect(history(continued)).toContainEqual({ role: 'user', content: 'I shout for help.' });
  });

  it('restores world, character, model, rules and session after a restart, and sends the history', async () => {
    const first = await boot();
    const client = await connect(first.url);
    const sessionId = await prepareStage(client);
    await client.ask('/rules add grim');
    client.skip();
    client.send('I light a lantern.');
    await client.next('chat_end');
    client.socket.terminate();
    await first.close();

    flower = await startFlower(dir.dataDir, dir.configFile);
    const returning = await connect(flower.url);
    expect(returning.events[0]?.content).toBe('✓ Engine ready.');
    expect(returning.events[1]?.metadata).toMatchObject({
      world_id: 'harbor',
      character_id: 'mara',
      model: MODEL,
      model_confirmed: true,
      active_rules: ['grim'],
      session_id: sessionId,
    });
    const restored = await returning.next('chat_history');
    expect(history(restored)).toEqual([
      { role: 'assistant', content: HARBOR_START },
      { role: 'user', content: 'I light a lantern.' },
      { role: 'assistant', content: 'Hello there.' },
    ]);
  });

  it('broadcasts state changes and the reply stream to a second client', async () => {
    const { url } = await boot();
    const one = await connect(url);
    const two = await connect(url);

    two.skip();
    await one.ask('/world select desert');
    const notice = await two.next('system_update');
    expect(notice).toMatchObject({ content: 'Active world set to desert', metadata: { world_id: 'desert' } });
    expect((await two.next('sync_state')).metadata.world_id).toBe('desert');

    await prepareStage(one);
    two.skip();
    one.send('I wave.');
    await two.next('chat_chunk');
    const end = await two.next('chat_end');
    expect(chunksOf(two.events.slice(0, two.events.indexOf(end) + 1)).join('')).toBe('Hello there.');
    expect(two.badFrames).toEqual([]);
  });
});
