/**
 * `kill -9` of `flower serve` (a child process) mid-turn: a restart on the same data dir has the
 * player's message and the partial reply as last flushed (every 250 ms), marked interrupted,
 * and the database passes `PRAGMA integrity_check`.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, makeDataDir, prepareStage, startFlower } from '../e2e/helpers/flower.ts';
import type { TestClient } from '../e2e/helpers/ws-client.ts';
import { startOpenAiServer, type OpenAiServer, type ScriptedReply } from '../support/openai-sse-server.ts';
import { chunkText, historyOf, integrityCheck, killAll, listening, serveArgs, serveChild, storedMessages } from './support.ts';

let upstream: OpenAiServer;
let script: () => ScriptedReply = () => ({ chunks: ['Hello', ' there.'] });
const dirs: Array<{ remove(): void }> = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  upstream = await startOpenAiServer({ reply: () => script() });
});
afterAll(() => upstream.close());
afterEach(() => {
  for (const client of clients.splice(0)) client.socket.terminate();
  killAll();
  for (const dir of dirs.splice(0)) dir.remove();
  script = () => ({ chunks: ['Hello', ' there.'] });
});

function dataDir() {
  const dir = makeDataDir(upstream.url);
  dirs.push(dir);
  return dir;
}

async function connect(url: string): Promise<TestClient> {
  const client = await connectClient(url);
  clients.push(client);
  return client;
}

/** Restarts in process on the same data dir and returns what a returning client is sent. */
async function restartAndRead(dir: { dataDir: string; configFile: string }) {
  script = () => ({ chunks: ['Hello', ' there.'] });
  const again = await startFlower(dir.dataDir, dir.configFile);
  try {
    const returning = await connect(again.url);
    const history = historyOf(await returning.next('chat_history'));
    return { sessionId: returning.events[1]?.metadata.session_id, history };
  } finally {
    await again.close();
  }
}

describe('faults: kill -9 of `flower serve`', () => {
  it('after kill -9 mid-turn, a restart has the player message and the flushed partial reply, and a sound database', async () => {
    const dir = dataDir();
    const database = join(dir.dataDir, 'flower.db');
    const full = Array.from({ length: 1000 }, (_, i) => `k${i} `);
    script = () => ({ chunks: full, delayMs: 10 });
    const served = serveChild(serveArgs(dir));
    const { url } = await listening(served);
    const player = await connect(url);
    const sessionId = await prepareStage(player);
    player.skip();
    player.send('I brace for impact.');
    await player.next('chat_chunk');
    // The growing reply is flushed every 250 ms: wait (by reading the file, not the clock) for a flush.
    await expect
      .poll(() => storedMessages(database, sessionId).at(-1)?.content.length ?? 0, { timeout: 15_000, interval: 50 })
      .toBeGreaterThan(0);

    served.child.kill('SIGKILL');
    expect(await served.exit).toEqual({ code: null, signal: 'SIGKILL' });
    const streamed = chunkText(player.events);
    const cut = storedMessages(database, sessionId).at(-1)!;
    expect(cut).toMatchObject({ role: 'assistant', status: 'streaming' });
    expect(integrityCheck(database)).toBe('ok');

    const restarted = await restartAndRead(dir);
    expect(restarted.sessionId).toBe(sessionId);
    const [user, reply] = restarted.history.slice(-2);
    expect(user).toEqual({ role: 'user', content: 'I brace for impact.' });
    expect(reply?.role).toBe('assistant');
    expect(reply!.content.length).toBeGreaterThan(0);
    expect(streamed.startsWith(reply!.content)).toBe(true);
    expect(storedMessages(database, sessionId).at(-1)).toMatchObject({ status: 'interrupted', content: reply!.content });
    expect(integrityCheck(database)).toBe('ok');
  }, 60_000);
});

