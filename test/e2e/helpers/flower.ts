/**
 * Runs the real composition (SQLite file, YAML content, model gateway, server on a free port)
 * in a temp data dir, against a local OpenAI-compatible streaming server.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeApp, type ComposedApp } from '../../../src/app/compose.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { resolvePaths, type FlowerPaths } from '../../../src/config/paths.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import type { AnyServerEvent } from '../../../src/protocol/index.ts';
import { TestClient } from './ws-client.ts';

export const MODEL = 'local/test-model';
export const HARBOR_START = 'The harbor bell rings twice. The fog tastes of salt and tar.';

const ASSETS: Record<string, string> = {
  'worlds/harbor.yaml': `id: harbor
name: Greywater Harbor
lore: |
  Greywater is a fishing town where the lighthouse keeper Odile keeps a ledger of every ship.
  The smugglers meet under the old pier at low tide.
start_message: "${HARBOR_START}"
scene: Dawn on the docks; a stranger's boat has drifted in with no crew.
system_prompt: Narrate in a quiet, salt-worn voice.
`,
  'worlds/desert.yaml': `id: desert
name: The Glass Desert
lore: Dunes of fused sand that sing at night.
start_message: The wind is hot.
`,
  'characters/mara.yaml': 'id: mara\nname: Mara\npersona: A tired ship surgeon with steady hands.\n',
  'characters/tom.yaml': 'id: tom\nname: Tom\npersona: A young deckhand.\n',
  'rules/grim.yaml': 'id: grim\nname: Grim\nprompt: The world is dark and unforgiving.\n',
  'system_rules.yaml': 'prompt: Never speak for the player character.\n',
};

/** A temp data dir with test content and a config pointing at `upstreamUrl`. */
export function makeDataDir(upstreamUrl: string): { dataDir: string; configFile: string; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'flower-e2e-'));
  for (const [file, text] of Object.entries(ASSETS)) {
    const path = join(dataDir, 'assets', file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  const configFile = join(dataDir, 'config.yaml');
  writeFileSync(configFile, `local_discovery: false\nproviders:\n  local:\n    type: openai-compatible\n    base_url: ${upstreamUrl}\n`, { mode: 0o600 });
  return { dataDir, configFile, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

export interface RunningFlower {
  app: ComposedApp;
  url: string;
  port: number;
  paths: FlowerPaths;
  close(): Promise<void>;
}

export async function startFlower(dataDir: string, configFile: string, options: { shutdownGraceMs?: number } = {}): Promise<RunningFlower> {
  const paths = resolvePaths({ dataDir, configFile }, {});
  const { config } = loadConfig(paths.configFile);
  const logger = createLogger({ file: paths.logFile });
  const app = await composeApp({ paths, config, logger, env: {}, host: '127.0.0.1', port: 0, shutdownGraceMs: options.shutdownGraceMs ?? 200 });
  return {
    app,
    url: app.server.url,
    port: app.server.port,
    paths,
    close: async () => {
      await app.close();
      logger.close();
    },
  };
}

/** Connects and waits for the handshake's sync_state. */
export async function connectClient(url: string, options: { origin?: string } = {}): Promise<TestClient> {
  const client = await TestClient.connect(url, options);
  await client.next('sync_state', 'handshake sync_state');
  return client;
}

export const hasModel = (id: string) => (event: AnyServerEvent) =>
  event.event === 'sync_state' && Array.isArray(event.metadata.available_models) && (event.metadata.available_models as Array<{ id: string }>).some((model) => model.id === id);

/** World, character, model and a new session: the stage a story turn needs. Returns the session id. */
export async function prepareStage(client: TestClient): Promise<string> {
  await client.ask('/world select harbor');
  await client.ask('/character select mara');
  await waitForModel(client);
  await client.ask('/model local/test-model');
  const created = await client.ask('/session new');
  await client.next('chat_history');
  const sessionId = created.metadata.session_id;
  if (typeof sessionId !== 'string' || sessionId === '') throw new Error(`no session id in ${JSON.stringify(created)}`);
  return sessionId;
}

/** The model list fills in the background; wait until the local model is offered (cursor kept). */
export async function waitForModel(client: TestClient): Promise<void> {
  if (client.events.some(hasModel(MODEL))) return;
  const at = client.position;
  await client.next(hasModel(MODEL), `${MODEL} in available_models`);
  client.seek(at);
}
