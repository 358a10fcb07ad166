/**
 * A test client over a real WebSocket: records every event (checked against the protocol's
 * schemas: a frame the original client would drop fails the test) and waits for events.
 */
import { WebSocket } from 'ws';
import { encodeClientFrame, parseServerFrame, type AnyServerEvent } from '../../../src/protocol/index.ts';

export interface Closed {
  code: number;
  reason: string;
}

const WAIT_LIMIT_MS = 15_000;

export class TestClient {
  readonly events: AnyServerEvent[] = [];
  /** Frames that did not fit the protocol; tests assert this stays empty. */
  readonly badFrames: string[] = [];
  readonly closed: Promise<Closed>;
  private cursor = 0;
  private listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      const parsed = parseServerFrame(text);
      if (parsed.ok) this.events.push(parsed.event);
      else this.badFrames.push(`${parsed.error}: ${text.slice(0, 200)}`);
      for (const listener of this.listeners) listener();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('error', () => {});
  }

  static connect(url: string, options: { origin?: string } = {}): Promise<TestClient> {
    const socket = new WebSocket(url, options.origin ? { origin: options.origin } : {});
    const client = new TestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => reject(new UpgradeRefused(response.statusCode ?? 0)));
      socket.once('error', reject);
    });
  }

  send(prompt: string): void {
    this.socket.send(encodeClientFrame(prompt));
  }

  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.socket.send(data, { binary: options.binary ?? typeof data !== 'string' });
  }

  /** Waits for the next event after the cursor that matches, and moves the cursor past it. */
  async next(match: string | ((event: AnyServerEvent) => boolean), what = String(match)): Promise<AnyServerEvent> {
    const test = typeof match === 'string' ? (event: AnyServerEvent) => event.event === match : match;
    const found = await this.until(() => {
      for (let i = this.cursor; i < this.events.length; i++) {
        if (test(this.events[i]!)) return i;
      }
      return undefined;
    }, what);
    this.cursor = found + 1;
    return this.events[found]!;
  }

  /** The events after the cursor, without moving it. */
  pending(): AnyServerEvent[] {
    return this.events.slice(this.cursor);
  }

  get position(): number {
    return this.cursor;
  }

  /** Puts the cursor at an index of `events`. */
  seek(index: number): void {
    this.cursor = index;
  }

  /** Moves the cursor to the end: later `next` calls see only new events. */
  skip(): void {
    this.cursor = this.events.length;
  }

  /** Sends a prompt and waits for the first event that matches. */
  async ask(prompt: string, match: string | ((event: AnyServerEvent) => boolean) = 'system_update'): Promise<AnyServerEvent> {
    this.skip();
    this.send(prompt);
    return this.next(match, `reply to ${prompt}`);
  }

  close(): Promise<Closed> {
    this.socket.close();
    return this.closed;
  }

  private until<T>(check: () => T | undefined, what: string): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const listener = (): void => {
        const value = check();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.events.slice(this.cursor).map((event) => `${event.event}: ${event.content.slice(0, 80)}`);
        reject(new Error(`timed out waiting for ${what}; events since cursor:\n${seen.join('\n')}`));
      }, WAIT_LIMIT_MS);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}
