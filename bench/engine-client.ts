/** Spawning the benchmark engine server, and WebSocket clients that time what arrives. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { encodeClientFrame } from '../src/protocol/index.ts';
import { BENCH_CHARACTER, BENCH_WORLD } from './dataset.ts';
import { markersIn, readDirect, streamPrompt, UPSTREAM_MODEL, type Upstream } from './upstream.ts';

const ROOT = resolve(import.meta.dirname, '..');

export interface EngineProcess {
  url: string;
  /** One access token per profile (`bench0`, `bench1`, …). */
  tokens: string[];
  pid: number;
  /** Resident set size of the server process, from /proc. */
  rssMB(): number;
  stop(): Promise<void>;
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : Number.NaN;
}

/** With FLOWER_BENCH_CPU_PROF=1 the engine server writes a CPU profile to .bench/profiles/ as it exits. */
const profileArgs = (): string[] =>
  process.env.FLOWER_BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, '.bench', 'profiles')}`] : [];

export async function spawnEngineServer(upstreamUrl: string, profiles: number): Promise<EngineProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'flower-bench-server-'));
  const child: ChildProcess = spawn(process.execPath, [...profileArgs(), '--import', 'tsx', join(ROOT, 'bench', 'engine-server.ts'), upstreamUrl, dir, String(profiles)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const first = await new Promise<string>((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`engine server exited (${code}): ${stderr.trim()}`)));
  });
  const { url, models, tokens } = JSON.parse(first) as { url: string; models: string[]; tokens: string[] };
  if (!models.includes(`bench/${UPSTREAM_MODEL}`)) throw new Error(`engine server lists no upstream model (got ${models.join(', ') || 'none'})`);
  const pid = child.pid ?? 0;
  return {
    url,
    tokens,
    pid,
    rssMB: () => rssOf(pid),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Event {
  event: string;
  payload: { content: string; metadata: Record<string, unknown> };
}

/** One player's client: connects, sets the stage, streams replies, notes when markers arrive. */
export class BenchClient {
  private socket!: WebSocket;
  private readonly waiters = new Set<() => void>();
  readonly problems: string[] = [];
  ends = 0;
  handshakeAt = 0;

  constructor(private readonly arrivals: Map<string, number>) {}

  /** Connects with an access token: the token's profile is this client's. */
  async connect(url: string, token: string): Promise<void> {
    this.socket = new WebSocket(`${url}?token=${encodeURIComponent(token)}`, { perMessageDeflate: false });
    this.socket.on('message', (data: Buffer) => this.receive(data));
    await new Promise<void>((done, fail) => {
      this.socket.once('error', fail);
      this.waiters.add(() => {
        if (this.handshakeAt > 0) done();
      });
    });
  }

  private receive(data: Buffer): void {
    const now = performance.now();
    if (this.handshakeAt === 0) this.handshakeAt = now;
    const event = JSON.parse(data.toString('utf8')) as Event;
    if (event.event === 'chat_chunk') {
      for (const key of markersIn(event.payload.content)) if (!this.arrivals.has(key)) this.arrivals.set(key, now);
    } else if (event.event === 'chat_end') this.ends++;
    else if (event.event === 'system_update' && event.payload.content.startsWith('✗')) this.problems.push(event.payload.content);
    else if (event.event === 'error') this.problems.push(event.payload.content);
    else if (event.event === 'system_update' && event.payload.content.startsWith('✓ New session')) this.sessionReady = true;
    for (const waiter of [...this.waiters]) waiter();
  }

  sessionReady = false;

  private until(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; problems: ${this.problems.join(' | ') || 'none'}`));
      }, timeoutMs);
      const check = () => {
        if (this.problems.length > 0) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(new Error(this.problems.join(' | ')));
        } else if (done()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolvePromise();
        }
      };
      this.waiters.add(check);
    });
  }

  send(prompt: string): void {
    this.socket.send(encodeClientFrame(prompt));
  }

  /** World, character, the upstream's model and a new session, through the real commands. */
  async prepare(): Promise<void> {
    for (const command of [`/world select ${BENCH_WORLD}`, `/character select ${BENCH_CHARACTER}`, `/model bench/${UPSTREAM_MODEL}`, '/session new']) this.send(command);
    await this.until(() => this.sessionReady, 'a new session');
  }

  /** Asks for one marked stream and waits for its `chat_end`. */
  async stream(id: number, chunks: number, delayMs: number): Promise<void> {
    const target = this.ends + 1;
    this.send(streamPrompt(id, chunks, delayMs));
    await this.until(() => this.ends >= target, `the end of stream ${id}`);
  }

  close(): void {
    this.socket.close();
  }
}

export interface StreamRun {
  latencies: number[];
  received: number;
  expected: number;
  /** Chunks received per second, from the first request to the last arrival. */
  throughput: number;
}

function collect(upstream: Upstream, arrivals: Map<string, number>, ids: number[], chunks: number, startedAt: number): StreamRun {
  const latencies: number[] = [];
  let last = startedAt;
  for (const id of ids) {
    for (let i = 0; i < chunks; i++) {
      const key = `${id}.${i}`;
      const arrived = arrivals.get(key);
      const departed = upstream.departures.get(key);
      if (arrived === undefined || departed === undefined) continue;
      latencies.push(arrived - departed);
      last = Math.max(last, arrived);
    }
  }
  const expected = ids.length * chunks;
  return { latencies, received: latencies.length, expected, throughput: latencies.length / ((last - startedAt) / 1000) };
}

let nextStream = 1;
const takeIds = (count: number): number[] => Array.from({ length: count }, () => nextStream++);

/** `streams` streams read straight from the upstream, all at once. */
export async function directStreams(upstream: Upstream, streams: number, chunks: number, delayMs: number): Promise<StreamRun> {
  const arrivals = new Map<string, number>();
  const ids = takeIds(streams);
  const startedAt = performance.now();
  await Promise.all(ids.map((id) => readDirect(upstream, streamPrompt(id, chunks, delayMs), arrivals)));
  return collect(upstream, arrivals, ids, chunks, startedAt);
}

/** One client per token (each its own profile), connected and with a session, ready to stream. */
export async function connectClients(url: string, tokens: readonly string[]): Promise<{ clients: BenchClient[]; arrivals: Map<string, number> }> {
  const arrivals = new Map<string, number>();
  const clients = tokens.map(() => new BenchClient(arrivals));
  await Promise.all(clients.map((client, i) => client.connect(url, tokens[i] ?? '')));
  await Promise.all(clients.map((client) => client.prepare()));
  return { clients, arrivals };
}

/** One stream per client, all at once, through the engine. */
export async function engineStreams(
  upstream: Upstream,
  connected: { clients: BenchClient[]; arrivals: Map<string, number> },
  chunks: number,
  delayMs: number,
): Promise<StreamRun> {
  const ids = takeIds(connected.clients.length);
  const startedAt = performance.now();
  await Promise.all(connected.clients.map((client, i) => client.stream(ids[i] ?? 0, chunks, delayMs)));
  return collect(upstream, connected.arrivals, ids, chunks, startedAt);
}
