/**
 * The engine `flower start` runs in the background: spawned with its output appended to a console
 * log, found ready by `GET /health`, stopped with SIGTERM (SIGKILL only when it hangs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { get } from 'node:http';

export type ProbeResult = 'flower' | 'other' | 'none';

/**
 * Whether a Flower engine answers `GET /health` on host:port. Plain `node:http`, not `fetch`: the
 * launcher then never loads undici, which would delay the first probe (and so the UI).
 */
export function probeEngine(host: string, port: number, timeoutMs = 1000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const settle = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    // Something that answered but is too slow to finish is not a Flower engine.
    const timer = setTimeout(() => settle(answered ? 'other' : 'none'), timeoutMs);
    const request = get({ host, port, path: '/health', agent: false }, (response) => {
      answered = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 4096) settle('other');
      });
      response.on('end', () => settle(response.statusCode === 200 && isHealthy(body) ? 'flower' : 'other'));
      response.on('error', () => settle('other'));
    });
    request.on('error', () => settle('none'));
  });
}

function isHealthy(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && (parsed as { status?: unknown }).status === 'ok';
  } catch {
    return false;
  }
}

export interface EngineProcess {
  child: ChildProcess;
  consoleLog: string;
  /** Where this run's output starts in the console log (it is appended to across runs). */
  logOffset: number;
}

export function spawnEngine(command: string, args: string[], env: NodeJS.ProcessEnv, consoleLog: string): EngineProcess {
  const logFd = openSync(consoleLog, 'a');
  try {
    const logOffset = statSync(consoleLog).size;
    const child = spawn(command, args, { stdio: ['ignore', logFd, logFd], env });
    return { child, consoleLog, logOffset };
  } finally {
    closeSync(logFd);
  }
}

/** The last `lines` lines of a file, or '' when it cannot be read. */
export function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** The port in this run's `Flower engine listening on ws://…` line (what `--port 0` picked), if printed yet. */
export function listeningPort(engine: EngineProcess): number | undefined {
  let output: string;
  try {
    output = readFileSync(engine.consoleLog).subarray(engine.logOffset).toString('utf8');
  } catch {
    return undefined;
  }
  const port = /^Flower engine listening on wss?:\/\/.*:(\d+)\//m.exec(output)?.[1];
  return port === undefined ? undefined : Number(port);
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type Readiness = { state: 'ready'; port: number } | { state: 'exited' } | { state: 'timeout' };

/**
 * Polls until the engine answers `/health`, the child dies, or time runs out. With port 0 the
 * engine picks its port: it is read from the engine's "listening" line first.
 */
export async function waitUntilReady(engine: EngineProcess, host: string, port: number, timeoutMs: number): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let childGone = false;
  void exited(engine.child).then(() => {
    childGone = true;
  });
  let known = port === 0 ? undefined : port;
  while (Date.now() < deadline) {
    if (childGone) return { state: 'exited' };
    known ??= listeningPort(engine);
    if (known !== undefined && (await probeEngine(host, known, 500)) === 'flower') return { state: 'ready', port: known };
    await sleep(100);
  }
  return { state: 'timeout' };
}

/** SIGTERM lets the engine store replies in flight; SIGKILL only if it does not stop in time. */
export async function stopEngine(child: ChildProcess, timeoutMs: number, err: (line: string) => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited(child).then(() => true), sleep(timeoutMs).then(() => false)]);
  if (stopped) return;
  err(`✗ The engine did not stop within ${Math.round(timeoutMs / 1000)} s after SIGTERM; killing it.`);
  child.kill('SIGKILL');
  await exited(child);
}
