/**
 * Iterates `source` until it ends or `signal` aborts. On abort it stops at once, even when the
 * source is stuck waiting on a stalled upstream, and asks the source to finish without waiting.
 *
 * A plain iterator rather than a generator around a `Promise.race`: per value it costs one promise,
 * and a long reply does not pile a reaction onto a shared abort promise for every chunk.
 */
export function untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const iterator = source[Symbol.asyncIterator]();
      let finished = false;
      let waiting: ((result: IteratorResult<T>) => void) | undefined;
      const end = (): IteratorResult<T> => {
        if (!finished) {
          finished = true;
          signal.removeEventListener('abort', onAbort);
          // A source stuck on a read finishes when it can; nobody waits for it.
          iterator.return?.()?.catch(() => undefined);
        }
        return { done: true, value: undefined };
      };
      const onAbort = (): void => {
        const resolve = waiting;
        waiting = undefined;
        resolve?.(end());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      return {
        next: () => {
          if (finished || signal.aborted) return Promise.resolve(end());
          return new Promise<IteratorResult<T>>((resolve, reject) => {
            waiting = resolve;
            iterator.next().then(
              (result) => {
                if (waiting !== resolve) return;
                waiting = undefined;
                resolve(result.done ? end() : result);
              },
              (error: unknown) => {
                if (waiting !== resolve) return;
                waiting = undefined;
                end();
                reject(error);
              },
            );
          });
        },
        return: () => Promise.resolve(end()),
      };
    },
  };
}
