import { describe, expect, it } from 'vitest';
import { WriteBatcher, type CorkableStream } from './write-batcher.ts';

function connection(log: string[], name: string): CorkableStream {
  return { cork: () => log.push(`cork ${name}`), uncork: () => log.push(`uncork ${name}`) };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteBatcher', () => {
  it('lets the first frame of a turn go at once and holds the rest of the turn for one write', async () => {
    const log: string[] = [];
    const writes = new WriteBatcher();
    const a = connection(log, 'a');
    const b = connection(log, 'b');
    writes.hold(a);
    writes.hold(b);
    expect(log).toEqual([]);
    writes.hold(a);
    writes.hold(a);
    expect(log).toEqual(['cork a']);
    await nextTurn();
    expect(log).toEqual(['cork a', 'uncork a']);
    writes.hold(a);
    await nextTurn();
    expect(log).toEqual(['cork a', 'uncork a']);
  });

  it('writes out at once when flushed early; the next frame then leaves at once again', async () => {
    const log: string[] = [];
    const writes = new WriteBatcher();
    const a = connection(log, 'a');
    writes.hold(a);
    writes.hold(a);
    writes.flush();
    writes.hold(a);
    writes.hold(a);
    expect(log).toEqual(['cork a', 'uncork a', 'cork a']);
    await nextTurn();
    expect(log).toEqual(['cork a', 'uncork a', 'cork a', 'uncork a']);
  });
});
