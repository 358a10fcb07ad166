/**
 * A database locked by another process: the test opens the data dir's `flower.db` itself and
 * holds `BEGIN EXCLUSIVE`. The engine answers writes with a clear `✗` naming the lock, changes
 * nothing half-way, and works again once the lock is gone; the file stays sound.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, makeDataDir, prepareStage, startFlower, type RunningFlower } from '../e2e/helpers/flower.ts';
import type { TestClient } from '../e2e/helpers/ws-client.ts';
import { startOpenAiServer, type OpenAiServer, type ScriptedReply } from '../support/openai-sse-server.ts';
import { chunkText, historyOf, integrityCheck, storedMessages } from './support.ts';

let upstream: OpenAiServer;
let script: () => ScriptedReply = () => ({ chunks: ['Hello', ' there.'] });
let dir: ReturnType<typeof makeDataDir> | undefined;
let flower: RunningFlower | undefined;
let locker: Database.Database | undefined;
const clients: TestClient[] = [];

beforeAll(async () => {
  upstream = await startOpenAiServer({ reply: () => script() });
});
afterAll(() => upstream.close());
afterEach(async () => {
  if (locker?.open) {
    if (locker.inTransaction) locker.exec('ROLLBACK');
    locker.close();
  }
  for (const client of clients.splice(0)) client.socket.terminate();
  await flower?.close();
  flower = undefined;
  dir?.remove();
  script = () => ({ chunks: ['Hello', ' there.'] });
});

async function boot(): Promise<{ client: TestClient; sessionId: string; database: string }> {
  dir = makeDataDir(upstream.url);
  flower = await startFlower(dir.dataDir, dir.configFile);
  const client = await connectClient(flower.url);
  clients.push(client);
  const sessionId = await prepareStage(client);
  return { client, sessionId, database: flower.paths.database };
}

/** Another process's connection holding the write lock. */
function lock(database: string): Database.Database {
  locker = new Database(database);
  locker.exec('BEGIN EXCLUSIVE');
  return locker;
}

function unlock(): void {
  locker?.exec('ROLLBACK');
  locker?.close();
}

const LOCKED = /^✗ .*database is locked by another process: .*flower\.db/;

describe('faults: a database locked by another process', () => {
  it('answers a story turn and a state change with a clear ✗, changes nothing, and recovers after the lock', async () => {
    const { client, sessionId, database } = await boot();
    client.skip();
    client.send('I light a candle.');
    await client.next('chat_end');
    const before = storedMessages(database, sessionId);

    lock(database);
    const turn = await client.ask('I speak while the file is locked.');
    expect(turn.content).toMatch(LOCKED);
    const world = await client.ask('/world select desert');
    expect(world.content).toMatch(LOCKED);
    unlock();

    expect(integrityCheck(database)).toBe('ok');
    expect(storedMessages(database, sessionId)).toEqual(before);
    // Nothing changed half-way: a new client sees the old world and the whole history.
    const returning = await connectClient(flower!.url);
    clients.push(returning);
    expect(returning.events[1]?.metadata).toMatchObject({ world_id: 'harbor', session_id: sessionId });
    expect(historyOf(await returning.next('chat_history')).slice(-2)).toEqual([
      { role: 'user', content: 'I light a candle.' },
      { role: 'assistant', content: 'Hello there.' },
    ]);

    // And it works again.
    expect((await client.ask('/world select desert')).content).toBe('Active world set to desert');
    await client.ask(`/session continue ${sessionId}`, 'chat_history');
    client.skip();
    client.send('I speak again.');
    await client.next('chat_end');
    expect(storedMessages(database, sessionId).slice(-2)).toMatchObject([
      { role: 'user', content: 'I speak again.', status: 'complete' },
      { role: 'assistant', content: 'Hello there.', status: 'complete' },
    ]);
    expect(client.badFrames).toEqual([]);
  }, 60_000);

  it('keeps a reply whose growing text could not be saved while the file was locked', async () => {
    const full = Array.from({ length: 60 }, (_, i) => `l${i} `);
    script = () => ({ chunks: full, delayMs: 20 });
    const { client, sessionId, database } = await boot();
    client.skip();
    client.send('I keep talking.');
    await client.next('chat_chunk');
    lock(database);
    // Hold the lock until a periodic save of the growing reply has failed on it (the engine logs it).
    await expect.poll(() => readFileSync(flower!.paths.logFile, 'utf8'), { timeout: 30_000, interval: 50 }).toMatch(/saving the growing reply failed/);
    unlock();
    const end = await client.next('chat_end');
    const streamed = chunkText(client.events.slice(0, client.events.indexOf(end)));
    expect(streamed).toBe(full.join(''));

    expect(integrityCheck(database)).toBe('ok');
    // What the narrator generated is not lost because a save once failed.
    expect(storedMessages(database, sessionId).at(-1)).toMatchObject({ role: 'assistant', content: full.join(''), status: 'complete' });
  }, 60_000);
});
