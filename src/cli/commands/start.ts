/**
 * `flower start` (the default: `npm start`): connect the UI to the engine on the port, starting
 * one in the background first when none answers; stop the engine it started when the UI exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { resolvePaths } from '../../config/paths.ts';
import { DEFAULT_PORT, RPC_PATH } from '../../protocol/index.ts';
import type { RunTuiOptions } from '../../tui/run-tui.ts';

export const startCommandSpec = {
  name: 'start',
  description: 'Start the engine if none is running and open the terminal UI (the default)',
} as const;

export interface StartOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  config?: string;
}

export interface EngineProcessCommand {
  command: string;
  args: string[];
}

export interface StartDeps {
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  runTui(options: { url: string; configPath?: string }): Promise<number>;
  /** How to run `serve` with these flags as a child process. */
  engineCommand(flags: string[]): EngineProcessCommand;
  out(line: string): void;
  err(line: string): void;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export type ProbeResult = 'flower' | 'other' | 'none';

const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Whether a Flower engine answers `GET /health` on host:port. */
export async function probeEngine(host: string, port: number, timeoutMs = 1000): Promise<ProbeResult> {
  try {
    const response = await fetch(`http://${formatHost(host)}:${port}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body: unknown = await response.json().catch(() => undefined);
    const isFlower = response.ok && typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'ok';
    return isFlower ? 'flower' : 'other';
  } catch {
    return 'none';
  }
}

/** `[node, --import <tsx loader>, <repo>/src/cli.ts, serve, ...flags]`: the repo's own CLI, no build step. */
export function defaultEngineCommand(flags: string[]): EngineProcessCommand {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '..', '..', '..');
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { command: process.execPath, args: ['--import', tsxLoader, join(root, 'src', 'cli.ts'), 'serve', ...flags] };
}

function serveFlags(options: StartOptions, host: string, port: number): string[] {
  const flags = ['--port', String(port), '--host', host];
  if (options.dataDir) flags.push('--data-dir', options.dataDir);
  if (options.config) flags.push('--config', options.config);
  return flags;
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls /health until the engine answers, the child dies, or time runs out. */
async function waitUntilReady(child: ChildProcess, host: string, port: number, timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  let childGone = false;
  void exited(child).then(() => {
    childGone = true;
  });
  while (Date.now() < deadline) {
    if (childGone) return 'exited';
    if ((await probeEngine(host, port, 500)) === 'flower') return 'ready';
    await sleep(100);
  }
  return 'timeout';
}

/** SIGTERM lets the engine store replies in flight; SIGKILL only if it does not stop in time. */
async function stopEngine(child: ChildProcess, timeoutMs: number, deps: StartDeps): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited(child).then(() => true), sleep(timeoutMs).then(() => false)]);
  if (stopped) return;
  deps.err(`✗ The engine did not stop within ${Math.round(timeoutMs / 1000)} s after SIGTERM; killing it.`);
  child.kill('SIGKILL');
  await exited(child);
}

export async function runStart(options: StartOptions, deps: StartDeps): Promise<number> {
  // The same environment fallbacks as `serve`, so both agree on where the engine is.
  const portText = options.port ?? (deps.env.FLOWER_PORT || String(DEFAULT_PORT));
  const port = Number(portText);
  if (!/^\d+$/.test(portText.trim()) || port < 1 || port > 65535) {
    const source = options.port === undefined ? 'FLOWER_PORT' : '--port';
    deps.err(`✗ ${source} must be a whole number from 1 to 65535, not "${portText}".`);
    return 1;
  }
  if (!deps.interactive) {
    deps.err((await import('../../tui/run-tui.ts')).NO_TTY_MESSAGE);
    return 1;
  }
  const host = options.host || deps.env.FLOWER_HOST || '127.0.0.1';
  const url = `ws://${formatHost(host)}:${port}${RPC_PATH}`;
  const probe = await probeEngine(host, port);
  if (probe === 'flower') {
    if (options.dataDir || options.config) deps.out(`An engine already runs on ${host}:${port}; connecting to it (its own --data-dir and --config apply).`);
    return deps.runTui({ url });
  }
  if (probe === 'other') {
    deps.err(`✗ Something that is not a Flower engine answers on ${host}:${port}. Pick another port with --port.`);
    return 1;
  }

  const paths = resolvePaths({ dataDir: options.dataDir, configFile: options.config }, deps.env);
  mkdirSync(paths.dataDir, { recursive: true });
  const consoleLog = join(paths.dataDir, 'engine-console.log');
  const logFd = openSync(consoleLog, 'a');
  const { command, args } = deps.engineCommand(serveFlags(options, host, port));
  deps.out(`Starting the engine on ${host}:${port} (output in ${consoleLog})…`);
  const child = spawn(command, args, { stdio: ['ignore', logFd, logFd], env: deps.env });
  closeSync(logFd);
  const stopOnSignal = (): void => {
    child.kill('SIGTERM');
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const ready = await waitUntilReady(child, host, port, deps.readyTimeoutMs ?? 30_000);
    if (ready !== 'ready') {
      const why = ready === 'exited' ? `stopped before it was ready (exit code ${child.exitCode ?? child.signalCode})` : `did not answer on ${host}:${port} within ${Math.round((deps.readyTimeoutMs ?? 30_000) / 1000)} s`;
      const lastLines = tail(consoleLog, 15);
      deps.err(`✗ The engine ${why}. Its output is in ${consoleLog}${lastLines ? `; the last lines:\n${lastLines}` : '.'}`);
      return 1;
    }
    return await deps.runTui({ url, configPath: paths.configFile });
  } finally {
    await stopEngine(child, deps.stopTimeoutMs ?? 20_000, deps);
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }
}

/**
 * The UI (Ink, React and their hundreds of modules) loads only when it is about to run, so the
 * other subcommands, `serve` above all, start without it.
 */
export async function runTuiLazily(options: RunTuiOptions): Promise<number> {
  // Ink draws only a final frame when it believes it runs in CI (it reads CI at import). A player
  // at a real terminal always needs live frames, so that belief is switched off before Ink loads.
  if (process.stdout.isTTY) {
    for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (key in process.env) process.env[key] = 'false';
  }
  const { runTui } = await import('../../tui/run-tui.ts');
  return runTui(options);
}

export function startCommand(program: Command): void {
  program
    .command(startCommandSpec.name, { isDefault: true })
    .description(startCommandSpec.description)
    .option('--port <port>', `engine port (env FLOWER_PORT; default ${DEFAULT_PORT})`)
    .option('--host <host>', 'engine host (env FLOWER_HOST; default 127.0.0.1)')
    .option('--data-dir <dir>', 'where the engine keeps its database and logs')
    .option('--config <file>', 'config file (providers, models)')
    .action(async (options: StartOptions) => {
      process.exitCode = await runStart(options, {
        env: process.env,
        interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        runTui: runTuiLazily,
        engineCommand: defaultEngineCommand,
        out: (line) => console.log(line),
        err: (line) => console.error(line),
      });
    });
}
