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
});
