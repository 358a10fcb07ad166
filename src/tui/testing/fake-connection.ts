import type { AnyServerEvent, SyncStateMetadata } from '../../protocol/index.ts';
import type { ConnectionLike, ConnectionListener } from '../connection.ts';
import type { ConnectionStatus } from '../state/types.ts';

/** A scriptable connection for App tests: records what was sent, emits what the test says. */
export class FakeConnection implements ConnectionLike {
  readonly sent: string[] = [];
  started = false;
  closed = false;
  private current: ConnectionStatus = { state: 'connecting', attempt: 1 };
  private readonly listeners = new Set<ConnectionListener>();

  start(): void {
    this.started = true;
  }
  status(): ConnectionStatus {
    return this.current;
  }
  send(prompt: string): boolean {
    if (this.current.state !== 'open') return false;
    this.sent.push(prompt);
    return true;
  }
  subscribe(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  close(): void {
    this.closed = true;
  }

  setStatus(status: ConnectionStatus): void {
    this.current = status;
    for (const listener of this.listeners) listener({ type: 'status', status });
  }
  emit(event: AnyServerEvent): void {
    for (const listener of this.listeners) listener({ type: 'event', event });
  }
  badFrame(error: string): void {
    for (const listener of this.listeners) listener({ type: 'bad_frame', error });
  }
}

export function syncState(overrides: Partial<SyncStateMetadata> = {}): AnyServerEvent {
  const metadata: SyncStateMetadata = {
    model: '',
    model_confirmed: false,
    world_id: '',
    character_id: '',
    session_id: '',
    available_worlds: [
      { id: 'eldoria', name: 'Eldoria' },
      { id: 'neon', name: 'Neon Harbor' },
    ],
    available_characters: [
      { id: 'aria', name: 'Aria the Bard' },
      { id: 'kade', name: 'Kade' },
    ],
    available_models: [
      { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', prompt_price: 0.15, completion_price: 0.6 },
      { id: 'anthropic/claude-sonnet', name: 'Claude Sonnet', prompt_price: 3, completion_price: 15 },
    ],
    available_rules: [
      { id: 'nsfw', name: 'Mature content' },
      { id: 'grim', name: 'Grim tone' },
    ],
    active_rules: [],
    available_sessions: [{ id: 'abc123def456', name: '[eldoria] aria: The tavern door' }],
    ...overrides,
  };
  return { event: 'sync_state', content: 'State synchronized', metadata };
}

export const readyEvent: AnyServerEvent = { event: 'system_update', content: '✓ Engine ready.', metadata: { status: 'ok' } };
