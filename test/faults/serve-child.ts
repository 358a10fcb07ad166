/**
 * The shared setup of the tests that run `flower serve` as a child: a scripted upstream, data
 * dirs and clients that are cleaned up after each test, and an in-process restart that reads
 * what a returning client is sent.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connectClient, makeDataDir, startFlower } from '../e2e/helpers/flower.ts';
import type { TestClient } from '../e2e/helpers/ws-client.ts';
import { startOpenAiServer, type OpenAiServer, type ScriptedReply } from '../support/openai-sse-server.ts';
import { historyOf, killAll } from './support.ts';

const defaultScript = (): ScriptedReply => ({ chunks: ['Hello', ' there.'] });

export interface ServeChildHarness {
  /** What the upstream replies with; reset to a short reply after each test. */
  script: () => ScriptedReply;
  dataDir(): ReturnType<typeof makeDataDir>;
  connect(url: string): Promise<TestClient>;
  restartAndRead(dir: { dataDir: string; configFile: string }): Promise<{ sessionId: unknown; history: ReturnType<typeof historyOf> }>;
}

/** Registers the suite's hooks; call once at the top of a test file. */
export function useServeChildHarness(): ServeChildHarness {
  let upstream: OpenAiServer;
  const dirs: Array<{ remove(): void }> = [];
  const clients: TestClient[] = [];

  const harness: ServeChildHarness = {
    script: defaultScript,
    dataDir() {
      const dir = makeDataDir(upstream.url);
      dirs.push(dir);
      return dir;
    },
    async connect(url) {
      const client = await connectClient(url);
      clients.push(client);
      return client;
    },
    async restartAndRead(dir) {
      harness.script = defaultScript;
      const again = await startFlower(dir.dataDir, dir.configFile);
      try {
        const returning = await harness.connect(again.url);
        const history = historyOf(await returning.next('chat_history'));
        return { sessionId: returning.events[1]?.metadata.session_id, history };
      } finally {
        await again.close();
      }
    },
  };

  beforeAll(async () => {
    upstream = await startOpenAiServer({ reply: () => harness.script() });
  });
  afterAll(() => upstream.close());
  afterEach(() => {
    for (const client of clients.splice(0)) client.socket.terminate();
    killAll();
    for (const dir of dirs.splice(0)) dir.remove();
    harness.script = defaultScript;
  });

  return harness;
}
