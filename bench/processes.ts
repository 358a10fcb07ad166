/** Child processes for the startup and memory benchmarks: `flower serve` and bare node + tsx. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { rssOf } from './engine-client.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'src', 'cli.ts');

/** How the engine is started, as a player starts it (bin/flower runs the same through tsx). */
export const serveCommand = (): { args: string[]; label: string } => ({
  args: ['--import', 'tsx', CLI, 'serve'],
  label: 'node --import tsx src/cli.ts serve',
});

export interface ServeProcess {
  pid: number;
  url: string;
  spawnedAt: number;
  /** When it printed its URL (listening). */
  listeningAt: number;
  /** When the first frame (the handshake) reached a client connecting right after "listening". */
  handshakeAt: number;
  rssMB(): number;
  stop(): Promise<void>;
}

/** Starts the engine on a fresh data dir (a cold start) and connects once. */
export async function startServe(): Promise<ServeProcess> {
  const home = mkdtempSync(join(tmpdir(), 'flower-bench-serve-'));
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
  const { args } = serveCommand();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...args, '--port', '0', '--data-dir', join(home, 'data')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const url = await listeningUrl(child);
    const listeningAt = performance.now();
    const handshakeAt = await firstFrame(url);
    const pid = child.pid ?? 0;
    return { pid, url, spawnedAt, listeningAt, handshakeAt, rssMB: () => rssOf(pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  return new Promise((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const url = /(ws:\/\/\S+)/.exec(line)?.[1];
      if (url) done(url);
    });
    child.once('exit', (code) => fail(new Error(`flower serve exited (${code}) before listening: ${stderr.trim().slice(-500)}`)));
  });
}

function firstFrame(url: string): Promise<number> {
  return new Promise((done, fail) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('message', () => {
      const at = performance.now();
      socket.close();
      done(at);
    });
    socket.once('error', fail);
  });
}

/** Milliseconds for node + tsx to start and run an empty script to its end. */
export function timeEmptyScript(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'empty-script.ts')], { cwd: ROOT, stdio: 'ignore' });
  return new Promise((done, fail) => {
    child.once('exit', (code) => (code === 0 ? done(performance.now() - started) : fail(new Error(`empty script exited ${code}`))));
  });
}

/** A bare node + tsx process idling, for an RSS baseline. */
export async function idleNode(): Promise<{ rssMB(): number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'idle-script.ts')], { cwd: ROOT, stdio: 'ignore' });
  const pid = child.pid ?? 0;
  await sleep(1_500);
  return {
    rssMB: () => rssOf(pid),
    stop: async () => {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
