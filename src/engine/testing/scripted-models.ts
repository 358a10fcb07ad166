/**
 * A scripted ModelGateway for tests: each stream plays a script of parts, pauses and gates,
 * and every request (with whether it was aborted) is recorded. Like a real provider, an
 * abort ends the stream with an `aborted` error part.
 */
import type { ChatRequest, ModelGateway, ModelInfo, StreamPart } from '../ports.ts';

export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

export function createGate(): Gate {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

export type ScriptStep =
  | StreamPart
  /** Waits this many real milliseconds (or until aborted). */
  | { type: 'delay'; ms: number }
  /** Waits until the gate opens (or until aborted): a mid-stream point a test controls. */
  | { type: 'gate'; gate: Gate }
  /** Runs a side effect at this point of the stream, e.g. advancing a fake clock. */
  | { type: 'call'; fn: () => void }
  /** Throws from the iterator, as a buggy gateway would. */
  | { type: 'throw'; error: unknown };

export type Script = readonly ScriptStep[] | ((request: ChatRequest) => readonly ScriptStep[]);

export interface RecordedStream {
  request: ChatRequest;
  /** Parts handed to the engine so far. */
  delivered: StreamPart[];
  aborted: boolean;
  ended: boolean;
}

export const testModel = (id: string, extra: Partial<ModelInfo> = {}): ModelInfo => ({
  id,
  name: id.split('/').pop() ?? id,
  provider: id.split('/')[0] ?? 'scripted',
  promptPrice: 1,
  completionPrice: 2,
  ...extra,
});

export const reply = (...texts: string[]): ScriptStep[] => [
  ...texts.map((text): ScriptStep => ({ type: 'text', text })),
  { type: 'finish', usage: {}, finishReason: 'stop' },
];

export interface ScriptedModelsOptions {
  models?: ModelInfo[];
  defaultModel?: string;
  /** Called when a stream is requested, before any part: where a test inspects the store. */
  onRequest?: (request: ChatRequest) => void;
}

export class ScriptedModels implements ModelGateway {
  readonly streams: RecordedStream[] = [];
  private models: ModelInfo[];
  private readonly defaultId: string | undefined;
  private readonly queue: Script[] = [];
  private readonly listeners = new Set<() => void>();
  /** Played when nothing is queued. */
  fallback: Script = reply('The narrator answers.');
  onRequest: ((request: ChatRequest) => void) | undefined;

  constructor(options: ScriptedModelsOptions = {}) {
    this.models = options.models ?? [testModel('scripted/narrator')];
    this.defaultId = options.defaultModel;
    this.onRequest = options.onRequest;
  }

  /** Queues scripts for the next streams, in order. */
  enqueue(...scripts: Script[]): this {
    this.queue.push(...scripts);
    return this;
  }

  setModels(models: ModelInfo[]): void {
    this.models = models;
    for (const listener of this.listeners) listener();
  }

  get requests(): ChatRequest[] {
    return this.streams.map((stream) => stream.request);
  }

  get abortCount(): number {
    return this.streams.filter((stream) => stream.aborted).length;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  listModels(): readonly ModelInfo[] {
    return this.models;
  }

  onModelsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  defaultModel(): string | undefined {
    return this.defaultId;
  }

  stream(request: ChatRequest): AsyncIterable<StreamPart> {
    const record: RecordedStream = { request, delivered: [], aborted: false, ended: false };
    this.streams.push(record);
    this.onRequest?.(request);
    const script = this.queue.shift() ?? this.fallback;
    const steps = typeof script === 'function' ? script(request) : script;
    return play(steps, record);
  }
}

async function* play(steps: readonly ScriptStep[], record: RecordedStream): AsyncGenerator<StreamPart> {
  const { signal } = record.request;
  const abortedPart: StreamPart = { type: 'error', kind: 'aborted', message: 'The request was cancelled.', provider: 'scripted' };
  try {
    for (const step of steps) {
      if (signal.aborted) {
        record.aborted = true;
        yield abortedPart;
        return;
      }
      if (step.type === 'delay' || step.type === 'gate') {
        await waitOrAbort(step.type === 'delay' ? sleep(step.ms) : step.gate.opened, signal);
        continue;
      }
      if (step.type === 'call') {
        step.fn();
        continue;
      }
      if (step.type === 'throw') throw step.error;
      record.delivered.push(step);
      yield step;
    }
    if (signal.aborted) record.aborted = true;
  } finally {
    record.ended = true;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function waitOrAbort(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  return Promise.race([
    wait,
    new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    }),
  ]);
}
