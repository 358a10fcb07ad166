/**
 * Load: several profiles (each its own access token), each with several clients, all streaming
 * at once through the real server from a local OpenAI-format server that sends numbered chunks.
 * Every client must receive every chunk of its own profile's replies exactly once and in order,
 * and nothing of any other profile. Runs the real composition root (token auth and rate limit
 * included). Sizes are CI-sized; `npm run soak` runs larger ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../e2e/helpers/flower.ts';
import type { TestClient } from '../e2e/helpers/ws-client.ts';
import { startOpenAiServer, type OpenAiServer } from '../support/openai-sse-server.ts';
import { numberedChunks, parseTurnPrompt, stage, startStack, turnPrompt, type Stack } from './stack.ts';
import { chunkText } from '../faults/support.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? '') || fallback;
const PROFILES = env('FLOWER_LOAD_PROFILES', 4);
const CLIENTS_PER_PROFILE = env('FLOWER_LOAD_CLIENTS', 3);
const TURNS = env('FLOWER_LOAD_TURNS', 3);
const CHUNKS = env('FLOWER_LOAD_CHUNKS', 40);

const profileIds = Array.from({ length: PROFILES }, (_, i) => `player-${i}`);

let upstream: OpenAiServer;
let stack: Stack;
const sockets: TestClient[] = [];

beforeAll(async () => {
  upstream = await startOpenAiServer({
    reply: (body) => {
      const asked = parseTurnPrompt(body.messages.at(-1)?.content ?? '');
      if (!asked) return { chunks: ['unexpected prompt'] };
      return { chunks: numberedChunks(asked.profile, asked.turn, CHUNKS), delayMs: 1 };
    },
  });
  stack = await startStack({ upstreamUrl: upstream.url, profiles: profileIds });
});
afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await stack?.close();
  await upstream?.close();
});

async function connect(profile: string): Promise<TestClient> {
  const client = await connectClient(`${stack.url}?token=${stack.tokens.get(profile)}`);
  sockets.push(client);
  return client;
}

const endsOf = (client: TestClient) => client.events.filter((event) => event.event === 'chat_end').length;

describe('load: several profiles streaming at once', () => {
  it(`${PROFILES} profiles × ${CLIENTS_PER_PROFILE} clients × ${TURNS} turns × ${CHUNKS} chunks: each chunk exactly once, in order, only to its profile`, async () => {
    const groups = await Promise.all(
      profileIds.map(async (profile) => ({ profile, clients: await Promise.all(Array.from({ length: CLIENTS_PER_PROFILE }, () => connect(profile))) })),
    );
    const sessions = new Map<string, string>();
    for (const { profile, clients } of groups) sessions.set(profile, await stage(clients[0]!));
    expect(new Set(sessions.values()).size).toBe(PROFILES);
    const startAt = new Map(groups.flatMap(({ clients }) => clients.map((client) => [client, client.events.length] as const)));
    const baseEnds = new Map(groups.flatMap(({ clients }) => clients.map((client) => [client, endsOf(client)] as const)));

    // Every profile's driver plays its turns back to back; all profiles at the same time.
    await Promise.all(
      groups.map(async ({ profile, clients }) => {
        const driver = clients[0]!;
        for (let turn = 0; turn < TURNS; turn++) {
          driver.skip();
          driver.send(turnPrompt(profile, turn));
          await driver.next('chat_end', `chat_end of ${profile} turn ${turn}`);
        }
        await Promise.all(
          clients.map((client) => expect.poll(() => endsOf(client) - baseEnds.get(client)!, { timeout: 30_000, interval: 20 }).toBe(TURNS)),
        );
      }),
    );

    for (const { profile, clients } of groups) {
      const expected = Array.from({ length: TURNS }, (_, turn) => numberedChunks(profile, turn, CHUNKS).join('')).join('');
      for (const [index, client] of clients.entries()) {
        const events = client.events.slice(startAt.get(client));
        const problems = events.filter((event) => event.event === 'error' || event.content.startsWith('✗')).map((event) => `${event.event}: ${event.content}`);
        expect(problems, `${profile} client ${index}: errors or refusals`).toEqual([]);
        expect(chunkText(events), `${profile} client ${index}`).toBe(expected);
        const foreign = events.filter((event) => event.metadata.session_id !== undefined && event.metadata.session_id !== sessions.get(profile));
        expect(foreign, `${profile} client ${index} got nothing of another session`).toEqual([]);
        expect(client.badFrames).toEqual([]);
      }
    }
    expect(upstream.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(PROFILES * TURNS);
  }, Math.max(120_000, PROFILES * CLIENTS_PER_PROFILE * TURNS * CHUNKS * 5));

  it('refuses a wrong token (401); a loopback client without one is the default profile and sees no player sessions', async () => {
    const { TestClient } = await import('../e2e/helpers/ws-client.ts');
    await expect(TestClient.connect(`${stack.url}?token=not-a-token`)).rejects.toMatchObject({ status: 401 });
    const anonymous = await connectClient(stack.url);
    sockets.push(anonymous);
    expect(anonymous.events[1]?.metadata).toMatchObject({ session_id: '', available_sessions: [] });
    const player = await connect(profileIds[0]!);
    const theirs = (player.events[1]?.metadata.available_sessions as Array<{ id: string }>).map((session) => session.id);
    expect(theirs.length).toBeGreaterThan(0);
    expect((await anonymous.ask(`/session continue ${theirs[0]}`)).content).toMatch(/^✗ /);
  });
});
