/**
 * The real composition (SQLite file, YAML content, model gateway, token auth, rate limit,
 * server) in a temp data dir against a local OpenAI-format server, with one access token per
 * profile created in the data dir's database the way `flower token create` does. Each
 * profile's clients connect with `?token=`, exactly as players sharing an engine would.
 */
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { resolvePaths } from '../../src/config/paths.ts';
import { makeDataDir, MODEL, startFlower, waitForModel, type RunningFlower } from '../e2e/helpers/flower.ts';
import type { TestClient } from '../e2e/helpers/ws-client.ts';

export interface Stack {
  url: string;
  database: string;
  /** One access token per profile id. */
  tokens: Map<string, string>;
  flower: RunningFlower;
  close(): Promise<void>;
}

export async function startStack(options: { upstreamUrl: string; profiles: string[] }): Promise<Stack> {
  const dir = makeDataDir(options.upstreamUrl);
  const { database } = resolvePaths({ dataDir: dir.dataDir, configFile: dir.configFile }, {});
  const store = createSqliteStore(database);
  const tokens = new Map(options.profiles.map((profile) => [profile, store.tokens!.create(profile, 'soak').token]));
  store.close();
  const flower = await startFlower(dir.dataDir, dir.configFile);
  return {
    url: flower.url,
    database,
    tokens,
    flower,
    close: async () => {
      await flower.close();
      dir.remove();
    },
  };
}

/** World, character, model and a new session for the client's profile; returns the session id. */
export async function stage(client: TestClient): Promise<string> {
  await client.ask('/world select harbor');
  await client.ask('/character select mara');
  await waitForModel(client);
  await client.ask(`/model ${MODEL}`);
  return newSession(client);
}

export async function newSession(client: TestClient): Promise<string> {
  const created = await client.ask('/session new', (event) => event.content.startsWith('✓ New session'));
  await client.next('chat_history');
  return created.metadata.session_id as string;
}

/** The chunks of turn `turn` of `profile`: numbered, so loss, duplication and reordering show. */
export const numberedChunks = (profile: string, turn: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `<${profile}#${turn}:${i}>`);

/** The prompt that asks for those chunks; the upstream reads it back from the request. */
export const turnPrompt = (profile: string, turn: number): string => `turn ${profile} ${turn}`;

export function parseTurnPrompt(text: string): { profile: string; turn: number } | undefined {
  const match = /^turn (\S+) (\d+)$/.exec(text);
  return match ? { profile: match[1]!, turn: Number(match[2]) } : undefined;
}
