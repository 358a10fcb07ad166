/**
 * `kill -9` of `flower serve` (a child process) mid-turn: a restart on the same data dir has the
 * player's message and the partial reply as last flushed (every 250 ms), marked interrupted,
 * and the database passes `PRAGMA integrity_check`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareStage } from '../e2e/helpers/flower.ts';
import { useServeChildHarness } from './serve-child.ts';
import { chunkText, integrityCheck, listening, serveArgs, serveChild, storedMessages } from './support.ts';

const harness = useServeChildHarness();

describe('faults: kill -9 of `flower serve`', () => {
  it('after kill -9 mid-turn, a restart has the player message and the flushed partial reply, and a sound database', async () => {
    const dir = harness.dataDir();
    const database = join(dir.dataDir, 'flower.db');
    const full = Array.from({ length: 1000 }, (_, i) => `k${i} `);
    harness.script = () => ({ chunks: full, delayMs: 10 });
    const served = serveChild(serveArgs(dir));
    const { url } = await listening(served);
    const player = await harness.connect(url);
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

    const restarted = await harness.restartAndRead(dir);
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

