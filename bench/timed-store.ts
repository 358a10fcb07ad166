/**
 * A Store decorator that adds up the time spent in each store method, so the turn benchmark
 * can say where a turn's time goes (search, writes) and not only how long it takes.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../src/engine/ports.ts';

export interface StoreTimes {
  /** Milliseconds per `part.method` since the last `reset()`. */
  readonly current: Map<string, number>;
  reset(): void;
}

function timeMethods<T extends object>(target: T, prefix: string, current: Map<string, number>): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      const name = `${prefix}.${String(key)}`;
      return (...args: unknown[]) => {
        const started = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        } finally {
          current.set(name, (current.get(name) ?? 0) + performance.now() - started);
        }
      };
    },
  });
}

/** Every part of the store (the optional ones too: tokens, summaries, vectors…) is timed. */
export function timedStore(store: Store): { store: Store; times: StoreTimes } {
  const current = new Map<string, number>();
  const parts = Object.fromEntries(
    Object.entries(store)
      .filter(([, value]) => typeof value === 'object' && value !== null)
      .map(([name, value]) => [name, timeMethods(value as object, name, current)]),
  );
  const timed = {
    ...parts,
    transaction: <T>(work: () => T): T => {
      const started = performance.now();
      try {
        return store.transaction(work);
      } finally {
        current.set('transaction', (current.get('transaction') ?? 0) + performance.now() - started);
      }
    },
    close: () => store.close(),
  } as Store;
  return { store: timed, times: { current, reset: () => current.clear() } };
}
