/**
 * The engine as a server of its own, for the relay and memory benchmarks: the real SQLite
 * store, model gateway (one openai-compatible provider at the benchmark's upstream), engine
 * and WebSocket server, composed as `flower serve` composes them but with the benchmark's
 * content. It creates access tokens for `profiles` profiles (`bench0`, `bench1`, …) with the
 * real token store, and clients pass one as `?token=` (the real authenticator), so 200 streams
 * can run in 200 profiles at once.
 *
 *   node --import tsx bench/engine-server.ts <upstream base url> <data dir> <profiles>
 *
 * Prints one JSON line `{"url": "ws://…", "tokens": […]}` once it listens.
 */
import { join } from 'node:path';
import { providersConfigSchema } from '../src/config/providers-config.ts';
import { Engine } from '../src/engine/engine.ts';
import { seededRandom } from '../src/engine/testing/fakes.ts';
import { createModelGateway } from '../src/providers/model-gateway.ts';
import { createUpgradeAuthenticator } from '../src/server/auth.ts';
import { startServer } from '../src/server/server.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { benchContentSource, quietLogger } from './bench-content.ts';

const [upstreamUrl, dataDir, profileCount] = process.argv.slice(2);
if (!upstreamUrl || !dataDir || !profileCount) {
  console.error('usage: engine-server.ts <upstream base url> <data dir> <profiles>');
  process.exit(2);
}

const logger = quietLogger();
const store = createSqliteStore(join(dataDir, 'flower.sqlite'), { logger });
const tokenStore = store.tokens;
if (!tokenStore) throw new Error('the store has no access tokens');
const tokens = Array.from({ length: Number(profileCount) }, (_, i) => tokenStore.create(`bench${i}`, 'benchmark').token);
const clock = { now: () => Date.now() };
const authenticator = createUpgradeAuthenticator({ tokens: tokenStore, requireTokens: true, clock, logger });
const config = providersConfigSchema.parse({
  providers: { bench: { type: 'openai-compatible', base_url: upstreamUrl } },
  local_discovery: false,
});
const models = createModelGateway(config, { logger, env: {} });
await models.refresh();
const engine = new Engine({ store, models, content: benchContentSource(), clock, random: seededRandom(), logger });
engine.start();
const server = await startServer({
  host: '127.0.0.1',
  port: 0,
  engine,
  logger,
  authenticate: (request) => authenticator.authenticate(request),
  limits: { maxBufferedBytes: 64 * 1024 * 1024 },
});
console.log(JSON.stringify({ url: server.url, models: models.listModels().map((m) => m.id), tokens }));

const stop = async () => {
  await server.close();
  models.close();
  store.close();
  if (logger.problems.length > 0) console.error(logger.problems.slice(0, 10).join('\n'));
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
