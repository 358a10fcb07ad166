/**
 * Engine time per turn: from the prompt handed to the engine (`handlePrompt`) to the upstream
 * request (the model gateway's `stream()` being called) — storing the player's words, lore
 * and memory retrieval, prompt assembly. The real Engine on a real SQLite file, a gateway fake
 * that records when it is called. 10,000-message session and 100,000 lore chunks, next to an
 * empty session (a new one for each turn) and 100 chunks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ClientSink } from '../src/engine/api.ts';
import { Engine } from '../src/engine/engine.ts';
import type { ChatRequest, ModelGateway, ModelInfo, StreamPart } from '../src/engine/ports.ts';
import { seededRandom } from '../src/engine/testing/fakes.ts';
import type { AnyServerEvent } from '../src/protocol/index.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { benchContentSource, quietLogger } from './bench-content.ts';
import { Corpus } from './corpus.ts';
import { BENCH_CHARACTER, BENCH_MODEL, BENCH_SESSION, BENCH_WORLD, copyDataset, ensureDataset, type DatasetSpec } from './dataset.ts';
import type { Bench, BenchContext, Figure } from './figure.ts';
import { LARGE, QUICK_LARGE } from './retrieval.ts';
import { summarize, type Summary } from './stats.ts';
import { timedStore } from './timed-store.ts';

const SMALL: DatasetSpec = { loreChunks: 100, memories: 0, messages: 0 };

/** Answers every request at once with one short text part, and notes when it was called. */
class TimingGateway implements ModelGateway {
  lastCalledAt = 0;
  /** This process's CPU time (µs) when `stream()` was called. */
  lastCpuAt = 0;
  calls = 0;
  /** Called as `stream()` is: the end of the timed part of a turn. */
  onCall: () => void = () => {};
  private readonly models: ModelInfo[] = [
    { id: BENCH_MODEL, name: 'narrator', provider: 'bench', promptPrice: 0, completionPrice: 0 },
  ];
  listModels(): readonly ModelInfo[] {
    return this.models;
  }
  onModelsChanged(): () => void {
    return () => {};
  }
  defaultModel(): string | undefined {
    return undefined;
  }
  stream(request: ChatRequest): AsyncIterable<StreamPart> {
    this.lastCalledAt = performance.now();
    this.lastCpuAt = cpuMicros();
    this.calls++;
    this.onCall();
    return answer(request);
  }
}

/** An async generator, as a provider's stream is. */
async function* answer(request: ChatRequest): AsyncGenerator<StreamPart> {
  if (request.signal.aborted) return;
  yield { type: 'text', text: 'The rain keeps falling on the crossroads inn.' };
  yield { type: 'finish', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
}

/** User plus system CPU time of this process: steadier than wall time on a shared machine. */
const cpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

interface TurnTimes {
  toUpstream: Summary;
  /** CPU time of the process over the same span, in ms (it waits for nothing else). */
  cpuToUpstream: Summary;
  /** Until `handlePrompt` resolved (the reply has started streaming). */
  toResolve: Summary;
  sessionMessages: number;
  /** p50 per turn of the time spent in each store method before the upstream request. */
  storeP50: Record<string, number>;
  problems: string[];
}

/**
 * `freshSession`: each turn in a new, empty session (`/session new` before it, not timed), so
 * the baseline stays an empty session instead of growing by two messages a turn.
 */
async function timeTurns(datasetPath: string, turns: number, warmup: number, freshSession: boolean): Promise<TurnTimes> {
  const dir = mkdtempSync(join(tmpdir(), 'flower-bench-turn-'));
  const sqlite = createSqliteStore(copyDataset({ path: datasetPath, spec: SMALL, buildSeconds: 0 }, dir));
  const { store, times } = timedStore(sqlite);
  const models = new TimingGateway();
  const perMethod = new Map<string, number[]>();
  let recording = false;
  models.onCall = () => {
    if (!recording) return;
    for (const [name, ms] of times.current) perMethod.set(name, [...(perMethod.get(name) ?? []), ms]);
  };
  const logger = quietLogger();
  const engine = new Engine({ store, models, content: benchContentSource(), clock: { now: () => Date.now() }, random: seededRandom(), logger });
  try {
    engine.start();
    let onEnd: (() => void) | undefined;
    const notices: string[] = [];
    const sink: ClientSink = {
      send(event: AnyServerEvent) {
        if (event.event === 'chat_end') onEnd?.();
        if (event.event === 'system_update' && event.content.startsWith('✗')) notices.push(event.content);
      },
    };
    const connection = engine.connect('default', sink);
    for (const command of [`/world select ${BENCH_WORLD}`, `/character select ${BENCH_CHARACTER}`, `/model ${BENCH_MODEL}`, `/session continue ${BENCH_SESSION}`]) {
      await connection.handlePrompt(command);
    }
    if (notices.length > 0) throw new Error(`setting the stage failed: ${notices.join(' | ')}`);
    const sessionMessages = store.messages.count(BENCH_SESSION);
    const corpus = new Corpus(5);
    const toUpstream: number[] = [];
    const cpuToUpstream: number[] = [];
    const toResolve: number[] = [];
    for (let turn = 0; turn < warmup + turns; turn++) {
      if (freshSession) await connection.handlePrompt('/session new');
      const ended = new Promise<void>((resolve) => {
        onEnd = resolve;
      });
      const callsBefore = models.calls;
      recording = turn >= warmup;
      times.reset();
      const started = performance.now();
      const cpuStarted = cpuMicros();
      await connection.handlePrompt(corpus.prompt());
      const resolved = performance.now();
      if (models.calls !== callsBefore + 1) throw new Error(`turn ${turn} did not reach the model: ${notices.join(' | ')}`);
      await ended;
      if (turn < warmup) continue;
      toUpstream.push(models.lastCalledAt - started);
      cpuToUpstream.push((models.lastCpuAt - cpuStarted) / 1000);
      toResolve.push(resolved - started);
    }
    connection.close();
    const storeP50 = Object.fromEntries([...perMethod].map(([name, samples]) => [name, round(summarize(samples).p50)]));
    return { toUpstream: summarize(toUpstream), cpuToUpstream: summarize(cpuToUpstream), toResolve: summarize(toResolve), sessionMessages, storeP50, problems: logger.problems.slice(0, 5) };
  } finally {
    await engine.shutdown({ graceMs: 0 });
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export const turnBench: Bench = {
  name: 'turn',
  description: 'engine time per turn (prompt received → upstream request)',
  async run(ctx: BenchContext) {
    const largeSpec = ctx.quick ? QUICK_LARGE : LARGE;
    const large = ensureDataset(largeSpec, ctx.log);
    const small = ensureDataset(SMALL, ctx.log);
    const turns = ctx.quick ? 100 : 1_000;
    const warmup = ctx.quick ? 10 : 50;
    ctx.log(`${turns} turns on each dataset…`);
    const big = await timeTurns(large.path, turns, warmup, false);
    const base = await timeTurns(small.path, turns, warmup, true);
    const n = (count: number) => count.toLocaleString('en-US');
    const label = `${n(big.sessionMessages)} msgs, ${n(largeSpec.loreChunks)} chunks`;
    const baselineLabel = `empty session, ${SMALL.loreChunks} chunks`;
    const figures: Figure[] = [
      { id: 'turn.p50', label: `engine per turn p50 (${label})`, unit: 'ms', value: big.toUpstream.p50, baseline: base.toUpstream.p50, baselineLabel, target: { below: 2, text: '< 2 ms' } },
      { id: 'turn.p99', label: `engine per turn p99 (${label})`, unit: 'ms', value: big.toUpstream.p99, baseline: base.toUpstream.p99, baselineLabel, target: { below: 10, text: '< 10 ms' } },
    ];
    const top = (p50: Record<string, number>) =>
      Object.entries(p50)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([name, ms]) => `${name} ${ms} ms`)
        .join(', ');
    const notes = [
      `CPU time per turn p50 / p99: ${round(big.cpuToUpstream.p50)} / ${round(big.cpuToUpstream.p99)} ms (empty session ${round(base.cpuToUpstream.p50)} / ${round(base.cpuToUpstream.p99)} ms)`,
      `store time per turn (p50) at the large size: ${top(big.storeP50)}`,
      ...[...big.problems, ...base.problems].map((problem) => `engine logged ${problem}`),
    ];
    return { figures, details: { large: largeSpec, small: SMALL, turns, warmup, largeTimes: big, smallTimes: base }, notes };
  },
};
