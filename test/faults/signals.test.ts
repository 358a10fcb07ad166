/**
 * SIGTERM and SIGINT on `flower serve` (a child process) in the middle of a reply: it stops
 * accepting, lets the reply run for its grace period, then stops and stores it, tells the
 * clients, closes their sockets with 1001 and exits 0. A restart has the partial reply.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareStage } from '../e2e/helpers/flower.ts';
import { TestClient } from '../e2e/helpers/ws-client.ts';
import { useServeChildHarness } from './serve-child.ts';
import { chunkText, integrityCheck, listening, serveArgs, serveChild, storedMessages } from './support.ts';

const harness = useServeChildHarness();

describe('faults: signals and crashes of `flower serve`', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s mid-stream: stops accepting, stores the partial, closes with 1001, exits 0', async (signal) => {
    const dir = harness.dataDir();
    const full = Array.from({ length: 400 }, (_, i) => `s${i} `);
    harness.script = () => ({ chunks: full, delayMs: 40 });
    const served = serveChild(serveArgs(dir));
    const { url } = await listening(served);
    const player = await harness.connect(url);
    const watcher = await harness.connect(url);
    const sessionId = await prepareStage(player);
    player.skip();
    watcher.skip();
    player.send('I hold my breath.');
    await player.next('chat_chunk');
    await watcher.next('chat_chunk');

    served.child.kill(signal);
    await expect.poll(() => served.stderr(), { timeout: 10_000 }).toMatch(new RegExp(`received a signal signal=${signal}`));
    // Replies get a grace period to finish; no new client is let in meanwhile.
    await expect(TestClient.connect(url)).rejects.toBeDefined();

    const end = await player.next('chat_end');
    const stopped = player.events.find((event) => event.content.startsWith('✗ The engine is shutting down'));
    expect(stopped, 'the player is told why the reply stopped').toBeDefined();
    expect(player.events.indexOf(stopped!)).toBeLessThan(player.events.indexOf(end));
    await watcher.next('chat_end');
    expect((await player.closed).code).toBe(1001);
    expect((await watcher.closed).code).toBe(1001);
    expect(await served.exit).toEqual({ code: 0, signal: null });

    const streamed = chunkText(player.events.slice(0, player.events.indexOf(end)));
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.length).toBeLessThan(full.join('').length);
    const stored = storedMessages(join(dir.dataDir, 'flower.db'), sessionId).at(-1)!;
    expect(stored).toMatchObject({ role: 'assistant', status: 'cancelled' });
    expect(stored.content.trim()).toBe(streamed.trim());
    expect(integrityCheck(join(dir.dataDir, 'flower.db'))).toBe('ok');

    const restarted = await harness.restartAndRead(dir);
    expect(restarted.sessionId).toBe(sessionId);
    expect(restarted.history.slice(-2)).toEqual([
      { role: 'user', content: 'I hold my breath.' },
      { role: 'assistant', content: stored.content },
    ]);
    expect(player.badFrames).toEqual([]);
  }, 60_000);

});
