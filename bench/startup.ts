/**
 * Cold start to handshake: spawning `flower serve` on a fresh data dir (it copies the example
 * content, creates the database, indexes lore) until a client connecting at "listening" gets its
 * first frame. Baseline: node + tsx running an empty script.
 */
import type { Bench, BenchContext, Figure } from './figure.ts';
import { serveCommand, startServe, timeEmptyScript } from './processes.ts';
import { summarize } from './stats.ts';

export const startupBench: Bench = {
  name: 'startup',
  description: 'cold start to handshake',
  async run(ctx: BenchContext) {
    const runs = ctx.quick ? 2 : 10;
    const { label } = serveCommand();
    ctx.log(`${runs} cold starts of ${label}…`);
    const starts: number[] = [];
    const empties: number[] = [];
    const connects: number[] = [];
    for (let i = 0; i < runs; i++) {
      empties.push(await timeEmptyScript());
      const serve = await startServe();
      starts.push(serve.handshakeAt - serve.spawnedAt);
      connects.push(serve.handshakeAt - serve.listeningAt);
      await serve.stop();
    }
    const s = summarize(starts);
    const e = summarize(empties);
    const baselineLabel = 'node+tsx empty script';
    const figures: Figure[] = [
      { id: 'startup.handshake.p50', label: `cold start to handshake p50 (${runs} starts)`, unit: 'ms', value: s.p50, baseline: e.p50, baselineLabel, target: { below: 500, text: '< 500 ms' } },
      { id: 'startup.handshake.max', label: `cold start to handshake max (${runs} starts)`, unit: 'ms', value: s.max, baseline: e.max, baselineLabel, target: { below: 500, text: '< 500 ms' } },
      { id: 'startup.listening_to_handshake.p50', label: 'listening to handshake p50', unit: 'ms', value: summarize(connects).p50, baseline: null, baselineLabel: '' },
    ];
    return { figures, details: { command: label, starts, empties, connects }, notes: [`started with: ${label}`] };
  },
};
