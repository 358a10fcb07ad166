import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { untilAborted } from './until-aborted.ts';

describe('untilAborted', () => {
  it('passes every value through when not aborted', async () => {
    async function* source() {
      yield 1;
      yield 2;
    }
    const seen: number[] = [];
    for await (const value of untilAborted(source(), new AbortController().signal)) seen.push(value);
    expect(seen).toEqual([1, 2]);
  });

  it('stops at once on abort even when the source never yields again', async () => {
    const controller = new AbortController();
    let returned = false;
    const stuck: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>(() => {}),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const run = (async () => {
      for await (const _ of untilAborted(stuck, controller.signal)) throw new Error('no value expected');
    })();
    controller.abort();
    await run;
    expect(returned).toBe(true);
  });

  it('passes a source error on and leaves no listener on the signal', async () => {
    const controller = new AbortController();
    async function* failing() {
      yield 1;
      throw new Error('upstream broke');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of untilAborted(failing(), controller.signal)) seen.push(value);
      })(),
    ).rejects.toThrow('upstream broke');
    expect(seen).toEqual([1]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('returns the source when the consumer stops early', async () => {
    const controller = new AbortController();
    let finished = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finished = true;
      }
    }
    for await (const value of untilAborted(endless(), controller.signal)) if (value === 2) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
