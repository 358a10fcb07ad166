/**
 * A scripted EngineApi for transport tests: records what the server hands over and answers
 * a few magic prompts so tests can stage streams, failures and floods.
 */
import type { ClientSink, EngineApi, EngineConnection } from '../../engine/api.ts';
import type { AnyServerEvent } from '../../protocol/index.ts';

const EMPTY_STATE = {
  model: '',
  model_confirmed: false,
  world_id: '',
  character_id: '',
  session_id: '',
  available_worlds: [],
  available_characters: [],
  available_models: [],
  available_rules: [],
  active_rules: [],
  available_sessions: [],
};

export interface FakeClient {
  profileId: string;
  sink: ClientSink;
  prompts: string[];
  closed: boolean;
}

export class FakeEngine implements EngineApi {
  readonly clients: FakeClient[] = [];
  shutdownCalls: Array<{ graceMs?: number }> = [];
  /** Lets a test hold a stream open until it says so. */
  private releaseStream: (() => void) | undefined;

  start(): void {}

  connect(profileId: string, sink: ClientSink): EngineConnection {
    const client: FakeClient = { profileId, sink, prompts: [], closed: false };
    this.clients.push(client);
    sink.send({ event: 'system_update', content: '✓ Engine ready.', metadata: { status: 'ok' } });
    sink.send({ event: 'sync_state', content: 'State synchronized', metadata: EMPTY_STATE });
    return {
      handlePrompt: (prompt) => this.handle(client, prompt),
      close: () => {
        client.closed = true;
      },
    };
  }

  broadcast(event: AnyServerEvent): void {
    for (const client of this.clients) if (!client.closed) client.sink.send(event);
  }

  /** Resolves the prompt `hold` (and every prompt behind it waits, in order). */
  releaseHold(): void {
    this.hold?.();
  }
  private hold: (() => void) | undefined;

  finishStream(): void {
    this.releaseStream?.();
  }

  async shutdown(options?: { graceMs?: number }): Promise<void> {
    this.shutdownCalls.push(options ?? {});
    this.broadcast({ event: 'chat_end', content: '', metadata: { total_tokens: 1 } });
  }

  private async handle(client: FakeClient, prompt: string): Promise<void> {
    client.prompts.push(prompt);
    if (prompt === 'hold') {
      await new Promise<void>((resolve) => {
        this.hold = resolve;
      });
      return;
    }
    if (prompt === 'explode') throw new Error('boom at /secret/path.ts:12');
    if (prompt.startsWith('flood ')) {
      const [, count, size] = prompt.split(' ');
      const text = 'x'.repeat(Number(size));
      for (let i = 0; i < Number(count); i++) client.sink.send({ event: 'chat_chunk', content: text, metadata: {} });
      return;
    }
    if (prompt === 'stream') {
      client.sink.send({ event: 'chat_chunk', content: 'Once', metadata: {} });
      // Resolves now, while the "reply" is still open: the transport must keep reading.
      void new Promise<void>((resolve) => {
        this.releaseStream = resolve;
      }).then(() => client.sink.send({ event: 'chat_end', content: '', metadata: { total_tokens: 1 } }));
      return;
    }
    if (prompt === '/cancel') {
      client.sink.send({ event: 'system_update', content: '✗ Stream cancelled by user.', metadata: {} });
      this.finishStream();
      return;
    }
    client.sink.send({ event: 'system_update', content: `echo ${prompt}`, metadata: {} });
  }
}
