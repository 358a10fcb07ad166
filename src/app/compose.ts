/**
 * The composition root: builds the real adapters (SQLite store, YAML content, model gateway,
 * system clock, crypto random) around the engine, and puts the transport in front of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { FlowerConfig } from '../config/config.ts';
import type { FlowerPaths } from '../config/paths.ts';
import { ensureAssets } from '../content/ensure-assets.ts';
import { createTransferFiles } from '../content/transfer-files.ts';
import { createYamlContentSource } from '../content/yaml-content-source.ts';
import type { EngineApi } from '../engine/api.ts';
import { Engine } from '../engine/engine.ts';
import type { Clock, Logger, RandomSource } from '../engine/ports.ts';
import { resolveEmbeddingModel } from '../providers/embeddings.ts';
import { createModelGateway } from '../providers/model-gateway.ts';
import { createUpgradeAuthenticator, refuseUnprotectedBind, requiresTokens } from '../server/auth.ts';
import { withRateLimit } from '../server/rate-limit.ts';
import { ListenError, startServer, type RunningServer } from '../server/server.ts';
import { createSqliteStore } from '../store/sqlite-store.ts';

export interface ComposeOptions {
  paths: FlowerPaths;
  config: FlowerConfig;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  host: string;
  port: number;
  /** How long replies may finish on shutdown before they are cancelled and stored. */
  shutdownGraceMs?: number;
}

export interface ComposedApp {
  engine: EngineApi;
  server: RunningServer;
  /** Stops the server (which shuts the engine down), then the gateway and the store. */
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Uniform in [0, 1) from 48 random bits. */
export const cryptoRandom: RandomSource = { next: () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48 };

export async function composeApp(options: ComposeOptions): Promise<ComposedApp> {
  const { paths, config, logger, env } = options;
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  if (ensureAssets(paths.assetsDir)) logger.info('copied the example content for a first run', { assetsDir: paths.assetsDir });

  const store = createSqliteStore(paths.database, { logger, clock: systemClock });
  // Off loopback the engine is reachable by others: refuse to start before any token exists.
  const bindRefusal = refuseUnprotectedBind(options.host, store.tokens);
  if (bindRefusal) {
    store.close();
    throw new ListenError(bindRefusal);
  }
  const models = createModelGateway(config, { logger, env, clock: systemClock });
  const content = createYamlContentSource({ assetsDir: paths.assetsDir, logger });
  // Optional hybrid retrieval: a config `embeddings:` entry that cannot work is a warning, not a failure.
  const embeddings = resolveEmbeddingModel(config, env, { warn: (message) => logger.warn(message) });
  const engine = new Engine({
    store,
    models,
    content,
    clock: systemClock,
    random: cryptoRandom,
    logger,
    files: createTransferFiles({ dataDir: paths.dataDir }),
    ...(embeddings ? { embeddings } : {}),
  });

  let server: RunningServer;
  try {
    engine.start();
    const tokens = store.tokens;
    const auth = createUpgradeAuthenticator({ tokens: store.tokens, requireTokens: requiresTokens(options.host), clock: systemClock, logger });
    server = await startServer({
      host: options.host,
      port: options.port,
      engine: withRateLimit(engine, systemClock),
      logger,
      authenticate: (request) => auth.authenticate(request),
      ...(tokens ? { activeTokenIds: () => tokens.activeIds() } : {}),
      shutdownGraceMs: options.shutdownGraceMs,
    });
    // Listing starts once the server listens: its first fetch loads undici, which need not delay the handshake.
    models.start();
  } catch (error) {
    await engine.shutdown({ graceMs: 0 });
    models.close();
    store.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await server.close();
    models.close();
    store.close();
  };
  return {
    engine,
    server,
    close: () => (closing ??= close()),
  };
}
