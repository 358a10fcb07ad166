/**
 * Added relay latency per chunk: the time from a chunk leaving the upstream (the OpenAI-format
 * test server) to its arrival at a client, through the engine server (child process, real
 * provider gateway, real WebSocket) next to a client reading the same upstream directly. Once
 * with one stream, once with 200 at a time (200 profiles, one access token each; 50 with
 * --quick), and the throughput of a burst.
 */
import { readFileSync } from 'node:fs';
import type { Bench, BenchContext, Figure } from './figure.ts';
import { connectClients, directStreams, engineStreams, spawnEngineServer, type StreamRun } from './engine-client.ts';
import { summarize } from './stats.ts';
import { startUpstream } from './upstream.ts';

export interface RelaySizes {
  singleStreams: number;
  singleChunks: number;
  singleDelayMs: number;
  concurrent: number;
  concurrentChunks: number;
  concurrentDelayMs: number;
  burstChunks: number;
}

export const relaySizes = (quick: boolean): RelaySizes => ({
  singleStreams: quick ? 3 : 10,
  singleChunks: quick ? 100 : 200,
  singleDelayMs: 5,
  concurrent: quick ? 50 : 200,
  concurrentChunks: quick ? 20 : 50,
  concurrentDelayMs: 50,
  burstChunks: quick ? 20 : 100,
});

/**
 * CPU time (user + system) a process has used so far, from /proc (Linux; clock ticks of 10 ms).
 * Unlike latency it barely moves with other load on the machine, so it compares runs fairly.
 */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

const brief = (run: StreamRun) => ({ ...summarize(run.latencies), received: run.received, expected: run.expected, throughput: run.throughput });

export const relayBench: Bench = {
  name: 'relay',
  description: 'added latency per chunk, upstream → client, 1 and 200 streams',
  async run(ctx: BenchContext) {
    const sizes = relaySizes(ctx.quick);
    const upstream = await startUpstream();
    const server = await spawnEngineServer(upstream.url, 1 + sizes.concurrent);
    try {
      ctx.log(`1 stream × ${sizes.singleStreams} (${sizes.singleChunks} chunks every ${sizes.singleDelayMs} ms), direct and through the engine…`);
      const single = await connectClients(server.url, server.tokens.slice(0, 1));
      // The first reply of a fresh engine process runs its relay path cold (JIT, first use of
      // fetch and web streams): its first chunks take ~10 ms more. It is reported on its own,
      // not mixed into the steady-state figures.
      const coldDirect = await directStreams(upstream, 1, sizes.singleChunks, sizes.singleDelayMs);
      const coldEngine = await engineStreams(upstream, single, sizes.singleChunks, sizes.singleDelayMs);
      const singleDirect: StreamRun[] = [];
      const singleEngine: StreamRun[] = [];
      for (let i = 0; i < sizes.singleStreams; i++) {
        singleDirect.push(await directStreams(upstream, 1, sizes.singleChunks, sizes.singleDelayMs));
        singleEngine.push(await engineStreams(upstream, single, sizes.singleChunks, sizes.singleDelayMs));
      }
      const merge = (runs: StreamRun[]): StreamRun => ({
        latencies: runs.flatMap((r) => r.latencies),
        received: runs.reduce((n, r) => n + r.received, 0),
        expected: runs.reduce((n, r) => n + r.expected, 0),
        throughput: Number.NaN,
      });
      const one = { direct: merge(singleDirect), engine: merge(singleEngine) };

      ctx.log(`${sizes.concurrent} clients in ${sizes.concurrent} profiles: connecting and starting sessions…`);
      const many = await connectClients(server.url, server.tokens.slice(1));
      ctx.log(`${sizes.concurrent} streams at once (${sizes.concurrentChunks} chunks every ${sizes.concurrentDelayMs} ms)…`);
      const manyDirect = await directStreams(upstream, sizes.concurrent, sizes.concurrentChunks, sizes.concurrentDelayMs);
      const manyEngine = await engineStreams(upstream, many, sizes.concurrentChunks, sizes.concurrentDelayMs);
      ctx.log(`burst: ${sizes.concurrent} streams of ${sizes.burstChunks} chunks sent without pause…`);
      const burstDirect = await directStreams(upstream, sizes.concurrent, sizes.burstChunks, 0);
      const cpuBefore = cpuMsOf(server.pid);
      const burstEngine = await engineStreams(upstream, many, sizes.burstChunks, 0);
      const burstCpuMs = cpuMsOf(server.pid) - cpuBefore;
      for (const client of [...single.clients, ...many.clients]) client.close();

      const d1 = summarize(one.direct.latencies);
      const e1 = summarize(one.engine.latencies);
      const dn = summarize(manyDirect.latencies);
      const en = summarize(manyEngine.latencies);
      const direct = 'client reading upstream directly';
      const figures: Figure[] = [
        { id: 'relay.single.p50', label: 'chunk latency via engine p50 (1 stream)', unit: 'ms', value: e1.p50, baseline: d1.p50, baselineLabel: direct },
        { id: 'relay.single.p99', label: 'chunk latency via engine p99 (1 stream)', unit: 'ms', value: e1.p99, baseline: d1.p99, baselineLabel: direct },
        { id: 'relay.single.added_p99', label: 'added relay latency p99 (1 stream)', unit: 'ms', value: e1.p99 - d1.p99, baseline: null, baselineLabel: '', target: { below: 1, text: '< 1 ms' } },
        { id: 'relay.concurrent.p50', label: `chunk latency via engine p50 (${sizes.concurrent} streams)`, unit: 'ms', value: en.p50, baseline: dn.p50, baselineLabel: direct },
        { id: 'relay.concurrent.p99', label: `chunk latency via engine p99 (${sizes.concurrent} streams)`, unit: 'ms', value: en.p99, baseline: dn.p99, baselineLabel: direct },
        { id: 'relay.concurrent.added_p99', label: `added relay latency p99 (${sizes.concurrent} streams)`, unit: 'ms', value: en.p99 - dn.p99, baseline: null, baselineLabel: '', target: sizes.concurrent === 200 ? { below: 20, text: '< 20 ms' } : undefined },
        { id: 'relay.burst.throughput', label: `throughput, burst of ${sizes.concurrent} streams`, unit: 'chunks/s', value: burstEngine.throughput, baseline: burstDirect.throughput, baselineLabel: 'direct' },
      ];
      const lost = [coldEngine, one.engine, manyEngine, burstEngine].reduce((n, r) => n + (r.expected - r.received), 0);
      const notes = [
        'added latency = p99 through the engine − p99 of the direct reader, each from raw per-chunk samples',
        `the ${sizes.concurrent} streams run in ${sizes.concurrent} profiles, one access token each (the engine allows one reply per session)`,
        `1 stream: after one uncounted stream each way; that first reply of the fresh engine process had p50 ${summarize(coldEngine.latencies).p50.toFixed(2)} / p99 ${summarize(coldEngine.latencies).p99.toFixed(2)} ms through the engine (direct ${summarize(coldDirect.latencies).p50.toFixed(2)} / ${summarize(coldDirect.latencies).p99.toFixed(2)} ms)`,
      ];
      if (Number.isFinite(burstCpuMs)) {
        const perChunk = (burstCpuMs * 1000) / burstEngine.expected;
        notes.push(`engine server CPU in the burst: ${burstCpuMs} ms for ${burstEngine.expected} chunks and ${sizes.concurrent} turns (${perChunk.toFixed(0)} µs a chunk, turns included)`);
      }
      if (lost > 0) notes.push(`✗ ${lost} chunks sent upstream never reached their client through the engine`);
      return {
        figures,
        details: {
          sizes,
          single: { direct: brief(one.direct), engine: brief(one.engine) },
          firstReply: { direct: brief(coldDirect), engine: brief(coldEngine) },
          concurrent: { direct: brief(manyDirect), engine: brief(manyEngine) },
          burst: { direct: brief(burstDirect), engine: brief(burstEngine), engineCpuMs: burstCpuMs },
        },
        notes,
      };
    } finally {
      await server.stop();
      await upstream.close();
    }
  },
};
