import { describe, expect, it } from 'vitest';
import { CompactMatrix } from './vector-compact-matrix.ts';
import { ExactMatrix, matrixQuery, topRows } from './vector-matrix.ts';

/** Deterministic vectors; `zeros` of every 4 values are 0, as in the built-in model's sparse vectors. */
const vectors = (count: number, dimensions: number, seed: number, zeros = 0): Float32Array[] => {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, (_, d) => (d % 4 < zeros ? 0 : next())));
};

const cosine = (a: Float32Array, b: Float32Array): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
};

/** The exact ranking of `rows` (row id → vector) for `query`, as `ORDER BY distance, row_id`. */
const exactTop = (rows: Map<number, Float32Array>, query: Float32Array, limit: number) =>
  [...rows]
    .map(([rowId, vector]) => ({ rowId, score: cosine(query, vector) }))
    .sort((a, b) => b.score - a.score || a.rowId - b.rowId)
    .slice(0, limit);

describe('ExactMatrix', () => {
  it('ranks exactly through adds, replacements, removals, growth and shrinking', () => {
    const all = vectors(300, 24, 3);
    const rows = new Map<number, Float32Array>();
    const matrix = new ExactMatrix(24, 4);
    const check = () => {
      for (const query of vectors(5, 24, rows.size + 11, 1)) {
        const got = matrix.best(matrixQuery(query), 7);
        const want = exactTop(rows, query, 7);
        expect(got.map((row) => row.rowId)).toEqual(want.map((row) => row.rowId));
        got.forEach((row, i) => expect(row.score).toBeCloseTo(want[i]?.score ?? 0, 12));
      }
      expect(matrix.count).toBe(rows.size);
    };
    all.forEach((vector, i) => {
      matrix.set(1000 + i, vector);
      rows.set(1000 + i, vector);
    });
    check();
    for (let i = 0; i < 300; i += 3) {
      matrix.set(1000 + i, all[(i + 1) % 300] as Float32Array);
      rows.set(1000 + i, all[(i + 1) % 300] as Float32Array);
    }
    check();
    // Removing most rows moves the last ones into the holes and shrinks the storage.
    const bytesFull = matrix.bytes;
    for (let i = 0; i < 290; i++) {
      matrix.remove(1000 + ((i * 7) % 300));
      rows.delete(1000 + ((i * 7) % 300));
    }
    matrix.remove(424_242);
    check();
    expect(matrix.bytes).toBeLessThan(bytesFull / 4);
  });

  it('breaks ties by row id and never ranks a zero-length row', () => {
    const matrix = new ExactMatrix(3, 8);
    matrix.set(9, Float32Array.of(1, 0, 0));
    matrix.set(4, Float32Array.of(2, 0, 0));
    matrix.set(7, Float32Array.of(0, 0, 0));
    matrix.set(5, Float32Array.of(0, 1, 0));
    expect(matrix.best(matrixQuery(Float32Array.of(1, 0.5, 0)), 10).map((row) => row.rowId)).toEqual([4, 9, 5]);
  });
});

describe('CompactMatrix', () => {
  it('scores close to the exact cosine, so the exact best rows are among its best few', () => {
    for (const zeros of [0, 3]) {
      const matrix = new CompactMatrix(64, 10);
      const all = vectors(200, 64, 5, zeros);
      const rows = new Map(all.map((vector, i) => [i, vector]));
      all.forEach((vector, i) => matrix.set(i, vector));
      for (const query of vectors(5, 64, 17, zeros)) {
        const got = matrix.best(matrixQuery(query), 200);
        for (const row of got) expect(Math.abs(row.score - cosine(query, all[row.rowId] as Float32Array))).toBeLessThan(0.08);
        const candidates = got.slice(0, 20).map((row) => row.rowId);
        expect(candidates).toEqual(expect.arrayContaining(exactTop(rows, query, 5).map((row) => row.rowId)));
      }
    }
  });

  it('keeps every row right through replacements and removals across packed pairs', () => {
    const matrix = new CompactMatrix(16, 2);
    const all = vectors(41, 16, 9);
    const rows = new Map<number, Float32Array>();
    all.forEach((vector, i) => {
      matrix.set(i, vector);
      rows.set(i, vector);
    });
    for (const i of [0, 7, 40, 13, 14]) {
      matrix.remove(i);
      rows.delete(i);
    }
    matrix.set(3, all[0] as Float32Array);
    rows.set(3, all[0] as Float32Array);
    const query = all[0] as Float32Array;
    const got = matrix.best(matrixQuery(query), 100);
    expect(got.map((row) => row.rowId).sort((a, b) => a - b)).toEqual([...rows.keys()].sort((a, b) => a - b));
    for (const row of got) expect(Math.abs(row.score - cosine(query, rows.get(row.rowId) as Float32Array))).toBeLessThan(0.05);
    expect(got[0]).toMatchObject({ rowId: 3 });
  });
});

describe('topRows', () => {
  it('gives the best rows in order, by id on ties, with NaN left out, for small and large limits', () => {
    const scores = Float64Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? Number.NaN : Math.floor(i / 10)));
    const ids = Float64Array.from({ length: 500 }, (_, i) => 1000 - i);
    const sorted = [...scores.keys()]
      .filter((i) => !Number.isNaN(scores[i]))
      .map((i) => ({ rowId: ids[i] as number, score: scores[i] as number }))
      .sort((a, b) => b.score - a.score || a.rowId - b.rowId);
    for (const limit of [1, 5, 30, 200, 1000]) expect(topRows(scores, ids, 500, limit)).toEqual(sorted.slice(0, limit));
    expect(topRows(scores, ids, 0, 5)).toEqual([]);
  });
});
