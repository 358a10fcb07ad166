/**
 * `flower start` (the default: `npm start`): connect the UI to the engine on the port, starting
 * one in the background first when none answers; stop the engine it started when the UI exits.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { resolvePaths } from '../../config/paths.ts';
import { isLoopbackHost } from '../../server/auth.ts';
import { DEFAULT_PORT, RPC_PATH } from '../../protocol/transport.ts';
import type * as RunTuiModule from '../../tui/run-tui.ts';
import { probeEngine, spawnEngine, stopEngine, tail, waitUntilReady } from '../engine-process.ts';
import { formatHost, parsePort, portFromEnv } from '../options.ts';
import { shortenUiImports } from '../ui-imports.ts';
import { issueUiToken, type IssueUiToken, type UiToken } from '../ui-token.ts';

export { probeEngine } from '../engine-process.ts';

export const startCommandSpec = {
  name: 'start',
  description: 'Start the engine if none is running and open the terminal UI (the default)',
} as const;

export interface StartOptions {
  /** Already checked by `parsePort` (the same rule as `serve`). */
  port?: number;
  host?: string;
  /** The access token the UI connects with (needed off loopback). */
  token?: string;
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
  /** Starts loading the UI's modules, called while the engine starts so both happen at once. */
  prepareTui?(): void;
  /** A one-off token for the UI of an engine started off loopback; the real token store by default. */
  issueUiToken?: IssueUiToken;
  out(line: string): void;
  err(line: string): void;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

const EXIT_USAGE = 2;

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

/** An engine bound to every address (0.0.0.0, ::) is reached on this machine through loopback. */
const reachableHost = (host: string): string => ({ '0.0.0.0': '127.0.0.1', '::': '::1', '[::]': '::1' })[host] ?? host;

const engineUrl = (host: string, port: number, token: string | undefined): string =>
  `ws://${formatHost(reachableHost(host))}:${port}${RPC_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;

const NEEDS_TOKEN = (host: string, port: number): string =>
  `✗ The engine on ${formatHost(host)}:${port} listens beyond loopback, so every client needs an access token: pass --token <token> (or FLOWER_TOKEN). ` +
  'Create one where that engine runs with: flower token create <profile> [--data-dir DIR]';

export async function runStart(options: StartOptions, deps: StartDeps): Promise<number> {
  // The same environment fallbacks and port rule as `serve`, so both agree on where the engine is.
  const port = options.port ?? portFromEnv(deps.env) ?? DEFAULT_PORT;
  if (!deps.interactive) {
    deps.err((await loadTui()).NO_TTY_MESSAGE);
    return 1;
  }
  const host = options.host || deps.env.FLOWER_HOST || '127.0.0.1';
  const token = options.token || deps.env.FLOWER_TOKEN || undefined;
  // Port 0 asks for a new engine on a free port: there is nothing to probe.
  const probe = port === 0 ? 'none' : await probeEngine(reachableHost(host), port);
  if (probe === 'flower') {
    if (!token && !isLoopbackHost(host)) {
      deps.err(NEEDS_TOKEN(host, port));
      return EXIT_USAGE;
    }
    if (options.dataDir || options.config) deps.out(`An engine already runs on ${formatHost(host)}:${port}; connecting to it (its own --data-dir and --config apply).`);
    return deps.runTui({ url: engineUrl(host, port, token) });
  }
  if (probe === 'other') {
    deps.err(`✗ Something that is not a Flower engine answers on ${formatHost(host)}:${port}. Pick another port with --port (0 picks a free one).`);
    return 1;
  }
  return startEngineAndUi(options, deps, { host, port, token });
}

async function startEngineAndUi(options: StartOptions, deps: StartDeps, target: { host: string; port: number; token: string | undefined }): Promise<number> {
  const { host, port } = target;
  const paths = resolvePaths({ dataDir: options.dataDir, configFile: options.config }, deps.env);
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  let uiToken: UiToken | undefined;
  if (!target.token && !isLoopbackHost(host)) {
    try {
      uiToken = await (deps.issueUiToken ?? issueUiToken)(paths.database);
    } catch (error) {
      deps.err(`✗ Could not create an access token for this UI in ${paths.database}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    deps.out(`Off loopback every client needs an access token: this UI uses a one-off token for profile default (id ${uiToken.id}), revoked when you quit.`);
    deps.out('Give each other player their own: flower token create <profile>');
  }
  const token = target.token ?? uiToken?.token;
  const consoleLog = join(paths.dataDir, 'engine-console.log');
  const { command, args } = deps.engineCommand(serveFlags(options, host, port));
  deps.out(`Starting the engine on ${port === 0 ? `${formatHost(host)}, on a free port` : `${formatHost(host)}:${port}`} (output in ${consoleLog})…`);
  const engine = spawnEngine(command, args, deps.env, consoleLog);
  deps.prepareTui?.();
  const stopOnSignal = (): void => {
    engine.child.kill('SIGTERM');
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const readyTimeoutMs = deps.readyTimeoutMs ?? 30_000;
    const ready = await waitUntilReady(engine, reachableHost(host), port, readyTimeoutMs);
    if (ready.state !== 'ready') {
      const why =
        ready.state === 'exited'
          ? `stopped before it was ready (exit code ${engine.child.exitCode ?? engine.child.signalCode})`
          : `did not answer on ${formatHost(host)}:${port === 0 ? 'the port it picked' : port} within ${Math.round(readyTimeoutMs / 1000)} s`;
      const lastLines = tail(consoleLog, 15);
      deps.err(`✗ The engine ${why}. Its output is in ${consoleLog}${lastLines ? `; the last lines:\n${lastLines}` : '.'}`);
      return 1;
    }
    return await deps.runTui({ url: engineUrl(host, ready.port, token), configPath: paths.configFile });
  } finally {
    await stopEngine(engine.child, deps.stopTimeoutMs ?? 20_000, deps.err);
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    revokeUiToken(uiToken, deps);
  }
}

function revokeUiToken(uiToken: UiToken | undefined, deps: StartDeps): void {
  if (!uiToken) return;
  try {
    uiToken.revoke();
  } catch (error) {
    deps.err(`✗ Could not revoke this UI's one-off token ${uiToken.id} (${error instanceof Error ? error.message : String(error)}): run flower token revoke ${uiToken.id}`);
  }
}

/**
 * The UI (Ink, React and their hundreds of modules) loads only when it is needed, so the other
 * subcommands, `serve` above all, start without it. A second call gets the module already loaded.
 */
export function loadTui(): Promise<typeof RunTuiModule> {
  // Ink draws only a final frame when it believes it runs in CI (it reads CI at import). A player
  // at a real terminal always needs live frames, so that belief is switched off before Ink loads.
  if (process.stdout.isTTY) {
    for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (key in process.env) process.env[key] = 'false';
  }
  return import('../../tui/run-tui.ts');
}

export async function runTuiLazily(options: RunTuiModule.RunTuiOptions): Promise<number> {
  return (await loadTui()).runTui(options);
}

export function startCommand(program: Command): void {
  program
    .command(startCommandSpec.name, { isDefault: true })
    .description(startCommandSpec.description)
    .option('--port <port>', `engine port (env FLOWER_PORT; default ${DEFAULT_PORT}; 0 starts a new engine on a free port)`, parsePort)
    .option('--host <host>', 'engine host (env FLOWER_HOST; default 127.0.0.1, loopback only)')
    .option('--token <token>', 'access token for an engine beyond loopback (env FLOWER_TOKEN; without one, an engine started here gives this UI a one-off token)')
    .option('--data-dir <dir>', 'where the engine keeps its database and logs')
    .option('--config <file>', 'config file (providers, models)')
    .action(async (options: StartOptions) => {
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      if (interactive) shortenUiImports();
      process.exitCode = await runStart(options, {
        env: process.env,
        interactive,
        runTui: runTuiLazily,
        engineCommand: defaultEngineCommand,
        // A failure to load surfaces when the UI is about to run.
        prepareTui: () => void loadTui().catch(() => undefined),
        out: (line) => console.log(line),
        err: (line) => console.error(line),
      });
    });
}
