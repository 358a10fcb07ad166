/**
 * Memory: the resident set (RSS, from /proc) of the engine's own process. Idle: `flower serve`
 * a few seconds after a cold start, next to bare node + tsx idling. Under load: the benchmark
 * engine server (bench/engine-server.ts) while 200 clients in 200 profiles stream at once,
 * next to the same process idle before the load.
 */
import { connectClients, engineStreams, spawnEngineServer } from './engine-client.ts';
import type { Bench, BenchContext, Figure } from './figure.ts';
import { idleNode, serveCommand, sleep, startServe } from './processes.ts';
import { relaySizes } from './relay.ts';
import { summarize } from './stats.ts';
import { startUpstream } from './upstream.ts';

async function sampleRss(rss: () => number, count: number, everyMs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    samples.push(rss());
    await sleep(everyMs);
  }
  return samples;
}

/** Samples `rss` every `everyMs` until `work` settles. */
async function sampleDuring(rss: () => number, everyMs: number, work: Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  while (!done) {
    samples.push(rss());
    await Promise.race([sleep(everyMs), finished]);
  }
  await finished;
  return samples;
}

export const memoryBench: Bench = {
  name: 'memory',
  description: 'RSS of the engine process, idle and under 200 streams',
  async run(ctx: BenchContext) {
    ctx.log('idle: bare node + tsx, then flower serve after a cold start…');
    const bare = await idleNode();
    const bareIdle = summarize(await sampleRss(() => bare.rssMB(), 10, 100));
    await bare.stop();
    const serve = await startServe();
    let serveIdle;
    try {
      await sleep(2_000);
      serveIdle = summarize(await sampleRss(() => serve.rssMB(), 10, 100));
    } finally {
      await serve.stop();
    }

    const sizes = relaySizes(ctx.quick);
    ctx.log(`load: ${sizes.concurrent} clients streaming ${sizes.concurrentChunks} chunks each through the benchmark engine server…`);
    const upstream = await startUpstream();
    const server = await spawnEngineServer(upstream.url, sizes.concurrent);
    let before;
    let during;
    try {
      await sleep(1_000);
      before = summarize(await sampleRss(() => server.rssMB(), 10, 100));
      const connected = await connectClients(server.url, server.tokens);
      during = summarize(await sampleDuring(() => server.rssMB(), 50, engineStreams(upstream, connected, sizes.concurrentChunks, sizes.concurrentDelayMs)));
      for (const client of connected.clients) client.close();
    } finally {
      await server.stop();
      await upstream.close();
    }
    const figures: Figure[] = [
      { id: 'memory.idle_rss', label: 'RSS idle after start (flower serve)', unit: 'MB', value: serveIdle.p50, baseline: bareIdle.p50, baselineLabel: 'node+tsx idle', target: { below: 100, text: '< 100 MB' } },
      { id: 'memory.load_rss.peak', label: `RSS peak under ${sizes.concurrent} streams`, unit: 'MB', value: during.max, baseline: before.p50, baselineLabel: 'same process idle' },
    ];
    return {
      figures,
      details: { serveCommand: serveCommand().label, bareIdle, serveIdle, loadServerIdle: before, underLoad: during, sizes },
      notes: ['under load the server is bench/engine-server.ts (the real store, gateway, engine, token authenticator and server; the benchmark content)'],
    };
  },
};
