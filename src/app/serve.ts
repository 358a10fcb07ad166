/**
 * `flower serve`: load the config, start the engine and its server, and shut down cleanly on
 * SIGTERM/SIGINT (stop accepting, let replies finish or cancel them after a grace period,
 * store partials, close sockets with 1001, close the store).
 */
import { mkdirSync } from 'node:fs';
import { configSecrets, loadConfig } from '../config/config.ts';
import { resolvePaths } from '../config/paths.ts';
import { createLogger, type TextSink } from '../logging/logger.ts';
import { isLoopbackHost } from '../server/auth.ts';
import { composeApp } from './compose.ts';

export interface ServeOptions {
  host: string;
  port: number;
  dataDir?: string;
  configFile?: string;
  env: NodeJS.ProcessEnv;
  stdout: TextSink;
  stderr: TextSink;
  shutdownGraceMs?: number;
  /** Listen for SIGTERM/SIGINT (the CLI); in-process tests call `stop()` instead. */
  handleSignals?: boolean;
}

export interface ServeHandle {
  url: string;
  /** Shuts down; resolves once everything is closed. */
  stop(): Promise<void>;
  /** Resolves after a stop (by signal or `stop()`) with the exit code. */
  stopped: Promise<number>;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Logged once the engine listens off loopback (it refuses to start there before a token exists). */
export const BEYOND_LOOPBACK_WARNING =
  'listening beyond loopback: every client needs an access token, a UI on this machine too (create one with flower token create <profile>; ' +
  'connect with ?token=<token> in the URL or flower start --token <token>). ' +
  'The connection is plain ws://: on a network you do not trust, put the engine behind TLS (a wss:// reverse proxy) or an SSH tunnel';

export async function runServe(options: ServeOptions): Promise<ServeHandle> {
  const paths = resolvePaths({ dataDir: options.dataDir, configFile: options.configFile }, options.env);
  const loaded = loadConfig(paths.configFile);
  ensureDataDir(paths.dataDir);
  const logger = createLogger({ file: paths.logFile, console: options.stderr, secrets: configSecrets(loaded.config, options.env) });
  for (const warning of loaded.warnings) logger.warn(warning);
  logger.info('starting', { dataDir: paths.dataDir, config: loaded.exists ? paths.configFile : `${paths.configFile} (not found, using defaults)` });

  let app;
  try {
    app = await composeApp({ paths, config: loaded.config, logger, env: options.env, host: options.host, port: options.port, shutdownGraceMs: options.shutdownGraceMs });
  } catch (error) {
    // Expected failures (port in use, unreadable database) are printed once by the CLI.
    if (!(error as { expected?: boolean }).expected && (error as Error).name !== 'StoreError') logger.error('could not start', { error });
    logger.close();
    throw error;
  }
  const composed = app;
  options.stdout.write(`Flower engine listening on ${composed.server.url}\n`);
  logger.info('listening', { url: composed.server.url });
  if (!isLoopbackHost(options.host)) logger.warn(BEYOND_LOOPBACK_WARNING, { host: options.host });

  let resolveStopped: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      removeSignalHandlers();
      logger.info('shutting down');
      try {
        await composed.close();
        logger.info('stopped');
        resolveStopped(0);
      } catch (error) {
        logger.error('shutdown failed', { error });
        resolveStopped(1);
      } finally {
        logger.close();
      }
    })());

  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info('received a signal', { signal });
    void stop();
  };
  const removeSignalHandlers = (): void => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  if (options.handleSignals) for (const signal of SIGNALS) process.on(signal, onSignal);

  return { url: composed.server.url, stop, stopped };
}

/** A data dir that cannot be created is the player's to fix: one line, no stack. */
class DataDirError extends Error {
  readonly expected = true;
  override name = 'DataDirError';
}

function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DataDirError(`cannot create the data dir ${dir} (${code}); pass --data-dir (or FLOWER_DATA_DIR) with a folder you can write to`);
  }
}
