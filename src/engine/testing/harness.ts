/**
 * An engine on a `:memory:` SQLite store with scripted models and content, and clients that
 * record every event. Every event a client receives is checked against the protocol schemas;
 * a test fails at its end if any did not fit.
 */
import { expect, onTestFinished, vi } from 'vitest';
import type { AnyServerEvent } from '../../protocol/index.ts';
import { createSqliteStore } from '../../store/sqlite-store.ts';
import type { EngineConnection } from '../api.ts';
import { Engine } from '../engine.ts';
import type { ContentSource, EmbeddingModel, RandomSource, Store } from '../ports.ts';
import type { EngineDeps } from '../api.ts';
import { FakeContent } from './fake-content.ts';
import { ManualClock, MemoryLogger, seededRandom } from './fakes.ts';
import { ScriptedModels } from './scripted-models.ts';
import { eventProblem } from './validate-event.ts';

export class TestClient {
  readonly events: AnyServerEvent[] = [];
  connection!: EngineConnection;

  constructor(readonly label: string) {}

  send(prompt: string): Promise<void> {
    return this.connection.handlePrompt(prompt);
  }

  /** The events received since the last `take`, and forgets them. */
  take(): AnyServerEvent[] {
    return this.events.splice(0);
  }

  /** `event: content` lines, readable in assertion diffs. */
  lines(): string[] {
    return this.events.map((e) => (e.content === '' ? e.event : `${e.event}: ${e.content}`));
  }

  named(name: string): AnyServerEvent[] {
    return this.events.filter((e) => e.event === name);
  }

  last(name: string): AnyServerEvent | undefined {
    return this.named(name).at(-1);
  }

  text(): string {
    return this.named('chat_chunk')
      .map((e) => e.content)
      .join('');
  }

  async waitFor(predicate: (events: AnyServerEvent[]) => boolean): Promise<void> {
    await vi.waitFor(() => expect(predicate(this.events)).toBe(true), { timeout: 5_000, interval: 2 });
  }

  /** Waits for this client's next `chat_end`. */
  waitForEnd(count = 1): Promise<void> {
    return this.waitFor((events) => events.filter((e) => e.event === 'chat_end').length >= count);
  }
}

export interface HarnessOptions {
  store?: Store;
  models?: ScriptedModels;
  content?: FakeContent;
  clock?: ManualClock;
  random?: RandomSource;
  /** Replaces the fake content (e.g. the real YAML source over a temporary folder). */
  source?: ContentSource;
  files?: EngineDeps['files'];
  /** An embedding model: lore and memory are ranked hybrid (BM25 + vectors). */
  embeddings?: EmbeddingModel;
  start?: boolean;
}

export function createHarness(options: HarnessOptions = {}) {
  const store = options.store ?? createSqliteStore(':memory:');
  const models = options.models ?? new ScriptedModels();
  const content = options.content ?? new FakeContent();
  const clock = options.clock ?? new ManualClock();
  const logger = new MemoryLogger();
  const engine = new Engine({
    store,
    models,
    content: options.source ?? content,
    clock,
    random: options.random ?? seededRandom(),
    logger,
    ...(options.files ? { files: options.files } : {}),
    ...(options.embeddings ? { embeddings: options.embeddings } : {}),
  });
  const violations: string[] = [];
  if (options.start !== false) engine.start();
  onTestFinished(() => {
    expect(violations, 'every event fits the protocol').toEqual([]);
  });

  const connect = (profileId = 'default', label = 'client'): TestClient => {
    const client = new TestClient(label);
    client.connection = engine.connect(profileId, {
      send(event) {
        const problem = eventProblem(event);
        if (problem) violations.push(`${label}: ${problem}`);
        client.events.push(event);
      },
    });
    return client;
  };

  /** World `castle`, character `knight`, the first model, a new session; events cleared. */
  const prepareStage = async (client: TestClient, world = 'castle'): Promise<string> => {
    await client.send(`/world select ${world}`);
    await client.send('/character select knight');
    const model = models.listModels()[0];
    if (model) await client.send(`/model ${model.id}`);
    await client.send('/session new');
    const sessionId = store.sessions.listRecent('default', 1)[0]?.id ?? '';
    client.take();
    return sessionId;
  };

  return { engine, store, models, content, clock, logger, violations, connect, prepareStage };
}

export type Harness = ReturnType<typeof createHarness>;
