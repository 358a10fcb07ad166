/**
 * Iterates `source` until it ends or `signal` aborts. On abort it stops at once, even when the
 * source is stuck waiting on a stalled upstream, and asks the source to finish without waiting.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  try {
    for (;;) {
      const next = iterator.next();
      // The race may leave `next` pending; its late rejection must not go unhandled.
      next.catch(() => undefined);
      const result = await Promise.race([next, aborted]);
      if (result === 'aborted' || result.done) return;
      yield result.value;
    }
  } finally {
    iterator.return?.()?.catch(() => undefined);
  }
}
