/**
 * Sharing an engine: a server that requires tokens, over a real socket and a real SQLite file.
 * Tokens are created in the file the way `flower token create` does; each maps to a profile
 * that sees only its own sessions and streams.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Engine } from '../../src/engine/engine.ts';
import type { Store } from '../../src/engine/ports.ts';
import { FakeContent } from '../../src/engine/testing/fake-content.ts';
import { MemoryLogger, seededRandom } from '../../src/engine/testing/fakes.ts';
import { ScriptedModels } from '../../src/engine/testing/scripted-models.ts';
import { createUpgradeAuthenticator } from '../../src/server/auth.ts';
import { RATE_LIMIT_NOTICE, withRateLimit } from '../../src/server/rate-limit.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import type { AnyServerEvent } from '../../src/protocol/index.ts';
import { composeApp } from '../../src/app/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import { resolvePaths } from '../../src/config/paths.ts';
import { makeDataDir, startFlower } from './helpers/flower.ts';
import { TestClient, UpgradeRefused } from './helpers/ws-client.ts';

const clock = { now: () => Date.now() };
let dir: string;
let store: Store;
let server: RunningServer;
let models: ScriptedModels;
const clients: TestClient[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flower-tokens-e2e-'));
  store = createSqliteStore(join(dir, 'flower.db'));
  models = new ScriptedModels();
  const logger = new MemoryLogger();
  const engine = new Engine({ store, models, content: new FakeContent(), clock, random: seededRandom(), logger });
  engine.start();
  const auth = createUpgradeAuthenticator({ tokens: store.tokens, requireTokens: true, clock, logger, limits: { maxFailures: 3 } });
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    engine: withRateLimit(engine, clock, { perSecond: 1, burst: 30 }),
    logger,
    authenticate: (request) => auth.authenticate(request),
    shutdownGraceMs: 100,
  });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(url: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  clients.push(client);
  await client.next('sync_state', 'handshake');
  return client;
}

const refusal = (url: string): Promise<number> =>
  TestClient.connect(url).then(
    (client) => {
      clients.push(client);
      return 101;
    },
    (error: unknown) => (error instanceof UpgradeRefused ? error.status : -1),
  );

/** The HTTP status and body of an upgrade, with any headers. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.terminate();
      resolve({ status: 101, body: '' });
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, retryAfter: response.headers['retry-after'] }));
    });
    socket.once('error', reject);
  });
}

const sessionIds = (event: AnyServerEvent): string[] => ((event.metadata.available_sessions ?? []) as { id: string }[]).map((s) => s.id);

async function newSession(client: TestClient, world: string): Promise<string> {
  for (const command of [`/world select ${world}`, '/character select knight', `/model ${models.listModels()[0]!.id}`]) {
    const answer = await client.ask(command);
    expect(answer.content, command).not.toMatch(/^✗/);
  }
  const sync = await client.ask('/session new', (e) => e.event === 'sync_state' && e.metadata.session_id !== '');
  return sync.metadata.session_id as string;
}

describe('end to end: access tokens', () => {
  it('refuses no token and a wrong token with 401, and accepts the right one in the URL or a Bearer header', async () => {
    const { token } = store.tokens!.create('alice');
    const missing = await upgrade(server.url);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatch(/missing access token/);
    expect(await refusal(`${server.url}?token=flw_${'x'.repeat(43)}`)).toBe(401);
    expect(await refusal(`${server.url}?token=${token}`)).toBe(101);
    expect((await upgrade(server.url, { authorization: `Bearer ${token}` })).status).toBe(101);
    expect(store.tokens!.list()[0]?.lastUsedAt).not.toBeNull();
  });

  it('refuses a revoked token, also one revoked while the engine runs', async () => {
    const { token, record } = store.tokens!.create('alice');
    expect(await refusal(`${server.url}?token=${token}`)).toBe(101);
    // As `flower token revoke` does from another process: a second connection to the same file.
    const other = createSqliteStore(join(dir, 'flower.db'));
    other.tokens!.revoke(record.id);
    other.close();
    expect(await refusal(`${server.url}?token=${token}`)).toBe(401);
  });

  it('slows an address after repeated failures: 429 with Retry-After, even for a right token', async () => {
    const { token } = store.tokens!.create('alice');
    for (let i = 0; i < 3; i++) expect(await refusal(`${server.url}?token=wrong`)).toBe(401);
    const slowed = await upgrade(`${server.url}?token=${token}`);
    expect(slowed.status).toBe(429);
    expect(slowed.body).toMatch(/too many failed access attempts/);
    expect(Number(slowed.retryAfter)).toBeGreaterThan(0);
  });

  it('two tokens of different profiles see only their own sessions and streams', async () => {
    const aliceToken = store.tokens!.create('alice').token;
    const bobToken = store.tokens!.create('bob').token;
    const alice = await connect(`${server.url}?token=${aliceToken}`);
    const bob = await connect(`${server.url}?token=${bobToken}`);
    const aliceSession = await newSession(alice, 'castle');
    const bobSession = await newSession(bob, 'station');

    const aliceAgain = await connect(`${server.url}?token=${aliceToken}`);
    expect(sessionIds(aliceAgain.events[1]!)).toEqual([aliceSession]);
    const bobAgain = await connect(`${server.url}?token=${bobToken}`);
    expect(sessionIds(bobAgain.events[1]!)).toEqual([bobSession]);

    const answer = await bob.ask(`/session continue ${aliceSession}`);
    expect(answer.content).toMatch(new RegExp(`^✗ Unknown session '${aliceSession}'`));

    bob.skip();
    bobAgain.skip();
    aliceAgain.skip();
    alice.send('I knock on the gate.');
    await alice.next('chat_end', 'alice reply');
    await aliceAgain.next('chat_end', 'alice reply on her second client');
    // Bob asks something after alice's reply ended: if her stream had leaked, it would be before this.
    await bob.ask('/help');
    const streamed = (events: AnyServerEvent[]) => events.filter((e) => e.event === 'chat_chunk' || e.event === 'chat_end');
    expect(streamed(alice.events).length).toBeGreaterThan(1);
    expect(streamed(bob.events)).toEqual([]);
    expect(streamed(bobAgain.events)).toEqual([]);
    for (const client of [alice, bob, aliceAgain, bobAgain]) expect(client.badFrames).toEqual([]);
  });

  it('answers prompts over the per-connection limit with a ✗ and keeps the socket open', async () => {
    const { token } = store.tokens!.create('alice');
    const client = await connect(`${server.url}?token=${token}`);
    client.skip();
    for (let i = 0; i < 40; i++) client.send('/help');
    await client.next((e) => e.content === RATE_LIMIT_NOTICE, 'the rate-limit notice');
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });
});

describe('end to end: the real composition (flower serve)', () => {
  it('on loopback: no token is the default profile, a token picks its profile, a wrong one is 401', async () => {
    const data = makeDataDir('http://127.0.0.1:9/v1');
    const seeded = createSqliteStore(join(data.dataDir, 'flower.db'));
    const { token } = seeded.tokens!.create('alice');
    seeded.close();
    const flower = await startFlower(data.dataDir, data.configFile);
    try {
      const anonymous = await connect(flower.url);
      await anonymous.ask('/world select harbor');
      const withToken = await connect(`${flower.url}?token=${token}`);
      expect(withToken.events[1]?.metadata.world_id, 'alice does not share default’s world').toBe('');
      expect(await refusal(`${flower.url}?token=flw_${'y'.repeat(43)}`)).toBe(401);
    } finally {
      for (const client of clients.splice(0)) client.socket.terminate();
      await flower.close();
      data.remove();
    }
  });

  it('refuses to listen beyond loopback until a token exists, with a clear message', async () => {
    const data = makeDataDir('http://127.0.0.1:9/v1');
    const paths = resolvePaths({ dataDir: data.dataDir, configFile: data.configFile }, {});
    const logger = new MemoryLogger();
    try {
      const started = composeApp({ paths, config: loadConfig(paths.configFile).config, logger, env: {}, host: '0.0.0.0', port: 0 });
      await expect(started).rejects.toThrow('binding 0.0.0.0 requires access tokens: run `flower token create <profile>` first');
      await expect(started).rejects.toMatchObject({ expected: true });
    } finally {
      data.remove();
    }
  });
});
