import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuseRanks, RRF_K } from './fuse.ts';

describe('reciprocal rank fusion', () => {
  it('sums 1/(k + rank) over the lists', () => {
    const fused = fuseRanks([
      ['a', 'b', 'c'],
      ['c', 'a'],
    ]);
    expect(fused.map((entry) => entry.item)).toEqual(['a', 'c', 'b']);
    expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[1]?.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[2]?.score).toBeCloseTo(1 / 62, 12);
  });

  it('lifts an item found by both lists over one found first by only one', () => {
    const fused = fuseRanks([
      ['bm25-only', 'both'],
      ['vector-only', 'both'],
    ]);
    expect(fused[0]?.item).toBe('both');
  });

  it('breaks ties by first appearance and counts a repeated key once', () => {
    expect(fuseRanks([['x', 'y'], ['y', 'x']]).map((entry) => entry.item)).toEqual(['x', 'y']);
    const repeated = fuseRanks([['a', 'a', 'b']]);
    expect(repeated).toEqual([
      { item: 'a', score: 1 / (RRF_K + 1) },
      { item: 'b', score: 1 / (RRF_K + 3) },
    ]);
  });

  it('with one list, keeps its order; with none, gives nothing', () => {
    expect(fuseRanks([])).toEqual([]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer(), { maxLength: 50 }), (list) => {
        expect(fuseRanks([list]).map((entry) => entry.item)).toEqual(list);
      }),
    );
  });

  it('is symmetric in its lists (as a set of scores) and scores are positive and decreasing', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(30), { maxLength: 20 }), fc.uniqueArray(fc.nat(30), { maxLength: 20 }), (a, b) => {
        const ab = fuseRanks([a, b]);
        const ba = new Map(fuseRanks([b, a]).map((entry) => [entry.item, entry.score]));
        for (const entry of ab) expect(entry.score).toBeCloseTo(ba.get(entry.item) ?? -1, 12);
        ab.forEach((entry, i) => {
          expect(entry.score).toBeGreaterThan(0);
          if (i > 0) expect(entry.score).toBeLessThanOrEqual(ab[i - 1]?.score ?? Infinity);
        });
        expect(new Set(ab.map((entry) => entry.item))).toEqual(new Set([...a, ...b]));
      }),
    );
  });
});
