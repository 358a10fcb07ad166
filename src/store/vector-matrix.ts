/**
 * In-memory copies of one scope's vectors for the vector store's caches, laid out dimension by
 * dimension (every row's value of dimension 0, then of dimension 1, …). Scoring a query then
 * reads only the dimensions where the query is non-zero, in long sequential runs: the built-in
 * model's queries use about 15 % of them, and a dense query costs no more than a row-by-row scan.
 *
 * - ExactMatrix (here) keeps the float32 values as stored: its scores are exact cosines.
 * - CompactMatrix (vector-compact-matrix.ts) keeps 4 bits per value, 8 times smaller.
 *
 * Rows are packed into slots 0..count-1: removing a row moves the last one into its slot.
 */

export interface MatrixQuery {
  values: Float64Array;
  /** Dimensions where `values` is non-zero. */
  nonzero: Int32Array;
  /** 1 / |values|. */
  inverseNorm: number;
}

export interface RankedRow {
  rowId: number;
  /** Cosine similarity (ExactMatrix) or its 4-bit estimate (CompactMatrix). */
  score: number;
}

export function matrixQuery(vector: Float32Array): MatrixQuery {
  const values = Float64Array.from(vector);
  const nonzero: number[] = [];
  let norm = 0;
  for (let d = 0; d < values.length; d++) {
    const x = values[d] as number;
    if (x === 0) continue;
    nonzero.push(d);
    norm += x * x;
  }
  return { values, nonzero: Int32Array.from(nonzero), inverseNorm: 1 / Math.sqrt(norm) };
}

/** Rough per-row cost of the row-id map and bookkeeping arrays, for the cache's byte budget. */
const ROW_OVERHEAD_BYTES = 32;
const MIN_CAPACITY = 16;
/**
 * Rows scored together, dimension by dimension: their running sums (16 KB) stay in the CPU
 * cache. Scoring all rows per dimension instead streams 800 KB of sums through memory once per
 * query dimension at 100,000 rows, which made it three times slower.
 */
export const BLOCK_ROWS = 2048;
// Both kernels take four query dimensions per pass over a block: each running sum is then read
// and written once per four dimensions instead of once per dimension (about twice as fast).

/** Memory a matrix of `count` rows takes once searched: its values, id, scale, running sum and slot map entry. */
export const matrixBytes = (form: 'exact' | 'compact', dimensions: number, count: number): number =>
  count * ((form === 'exact' ? dimensions * 4 : dimensions / 2) + 24 + ROW_OVERHEAD_BYTES);

export abstract class ScopeMatrix {
  count = 0;
  protected capacity: number;
  protected ids: Float64Array;
  private readonly slots = new Map<number, number>();
  /** Reused between searches (they are synchronous), so a search of 100,000 rows allocates nothing large. */
  private scratch = new Float64Array(0);

  constructor(
    readonly dimensions: number,
    capacity: number,
  ) {
    this.capacity = Math.max(MIN_CAPACITY, capacity + (capacity % 2));
    this.ids = new Float64Array(this.capacity);
  }

  /** What the matrix holds in memory, roughly. */
  get bytes(): number {
    return this.capacity * (this.bytesPerRow() + 8 + ROW_OVERHEAD_BYTES) + this.scratch.byteLength;
  }

  /** `length` zeroed running sums. */
  protected sums(length: number): Float64Array {
    if (this.scratch.length < length) this.scratch = new Float64Array(Math.max(length, this.capacity));
    const sums = this.scratch.subarray(0, length);
    sums.fill(0);
    return sums;
  }

  /** Adds or replaces a row's vector (`vector.length` must be `dimensions`). */
  set(rowId: number, vector: Float32Array): void {
    let slot = this.slots.get(rowId);
    if (slot === undefined) {
      if (this.count === this.capacity) this.resize(Math.ceil(this.capacity * 1.5));
      slot = this.count++;
      this.slots.set(rowId, slot);
      this.ids[slot] = rowId;
    }
    this.write(slot, vector);
  }

  remove(rowId: number): void {
    const slot = this.slots.get(rowId);
    if (slot === undefined) return;
    const last = this.count - 1;
    if (slot !== last) {
      const moved = this.ids[last] as number;
      this.move(last, slot);
      this.ids[slot] = moved;
      this.slots.set(moved, slot);
    }
    this.slots.delete(rowId);
    this.count--;
    if (this.capacity > 4 * MIN_CAPACITY && this.count < this.capacity / 4) this.resize(this.count * 2);
  }

  /** The `limit` best rows, best first; equal scores by row id, as `ORDER BY distance, row_id`. */
  best(query: MatrixQuery, limit: number): RankedRow[] {
    return topRows(this.scores(query), this.ids, this.count, limit);
  }

  private resize(capacity: number): void {
    const next = Math.max(MIN_CAPACITY, capacity + (capacity % 2));
    const ids = new Float64Array(next);
    ids.set(this.ids.subarray(0, this.count));
    this.ids = ids;
    this.reallocate(next);
    this.capacity = next;
    this.scratch = new Float64Array(0);
  }

  protected abstract bytesPerRow(): number;
  protected abstract write(slot: number, vector: Float32Array): void;
  protected abstract move(from: number, to: number): void;
  /** New storage for `capacity` rows holding the first `count` rows; `this.capacity` is still the old one. */
  protected abstract reallocate(capacity: number): void;
  /** A score per slot (NaN for a row that cannot be scored). */
  protected abstract scores(query: MatrixQuery): Float64Array;
}

/** 1 / |vector|, or NaN when the vector has no usable length (such rows never rank). */
export function inverseNormOf(vector: Float32Array): number {
  let norm = 0;
  for (let d = 0; d < vector.length; d++) norm += (vector[d] as number) ** 2;
  norm = Math.sqrt(norm);
  return norm > 0 && Number.isFinite(norm) ? 1 / norm : Number.NaN;
}

export class ExactMatrix extends ScopeMatrix {
  private columns: Float32Array;
  private inverseNorms: Float64Array;

  constructor(dimensions: number, capacity: number) {
    super(dimensions, capacity);
    this.columns = new Float32Array(dimensions * this.capacity);
    this.inverseNorms = new Float64Array(this.capacity);
  }

  protected bytesPerRow(): number {
    return this.dimensions * 4 + 8;
  }

  protected write(slot: number, vector: Float32Array): void {
    const { columns, capacity } = this;
    for (let d = 0; d < this.dimensions; d++) columns[d * capacity + slot] = vector[d] as number;
    this.inverseNorms[slot] = inverseNormOf(vector);
  }

  protected move(from: number, to: number): void {
    const { columns, capacity } = this;
    for (let d = 0; d < this.dimensions; d++) columns[d * capacity + to] = columns[d * capacity + from] as number;
    this.inverseNorms[to] = this.inverseNorms[from] as number;
  }

  protected reallocate(capacity: number): void {
    const columns = new Float32Array(this.dimensions * capacity);
    for (let d = 0; d < this.dimensions; d++) columns.set(this.columns.subarray(d * this.capacity, d * this.capacity + this.count), d * capacity);
    const inverseNorms = new Float64Array(capacity);
    inverseNorms.set(this.inverseNorms.subarray(0, this.count));
    this.columns = columns;
    this.inverseNorms = inverseNorms;
  }

  protected scores(query: MatrixQuery): Float64Array {
    const { columns, capacity, count, inverseNorms } = this;
    const sums = this.sums(count);
    const { values, nonzero } = query;
    for (let start = 0; start < count; start += BLOCK_ROWS) {
      const end = Math.min(count, start + BLOCK_ROWS);
      let k = 0;
      for (; k + 4 <= nonzero.length; k += 4) {
        const [d0, d1, d2, d3] = [nonzero[k] as number, nonzero[k + 1] as number, nonzero[k + 2] as number, nonzero[k + 3] as number];
        const [w0, w1, w2, w3] = [values[d0] as number, values[d1] as number, values[d2] as number, values[d3] as number];
        const [b0, b1, b2, b3] = [d0 * capacity, d1 * capacity, d2 * capacity, d3 * capacity];
        for (let i = start; i < end; i++) {
          sums[i] =
            (sums[i] as number) +
            w0 * (columns[b0 + i] as number) +
            w1 * (columns[b1 + i] as number) +
            w2 * (columns[b2 + i] as number) +
            w3 * (columns[b3 + i] as number);
        }
      }
      for (; k < nonzero.length; k++) {
        const d = nonzero[k] as number;
        const weight = values[d] as number;
        const base = d * capacity;
        for (let i = start; i < end; i++) sums[i] = (sums[i] as number) + weight * (columns[base + i] as number);
      }
    }
    for (let i = 0; i < count; i++) sums[i] = (sums[i] as number) * (inverseNorms[i] as number) * query.inverseNorm;
    return sums;
  }
}

const ranksAbove = (score: number, id: number, otherScore: number, otherId: number): boolean =>
  score > otherScore || (score === otherScore && id < otherId);

/** The `limit` best of `count` scores with their ids, best first; NaN scores never rank. */
export function topRows(scores: Float64Array, ids: Float64Array, count: number, limit: number): RankedRow[] {
  const size = Math.min(limit, count);
  if (size <= 0) return [];
  if (size > 64 && size > count / 16) return sortedRows(scores, ids, count).slice(0, size);
  // Kept sorted, best first; once full, almost every row fails the first comparison.
  const topScores = new Float64Array(size);
  const topIds = new Float64Array(size);
  let filled = 0;
  for (let i = 0; i < count; i++) {
    const score = scores[i] as number;
    if (Number.isNaN(score)) continue;
    const id = ids[i] as number;
    if (filled === size && !ranksAbove(score, id, topScores[size - 1] as number, topIds[size - 1] as number)) continue;
    let at = filled === size ? size - 1 : filled++;
    while (at > 0 && ranksAbove(score, id, topScores[at - 1] as number, topIds[at - 1] as number)) {
      topScores[at] = topScores[at - 1] as number;
      topIds[at] = topIds[at - 1] as number;
      at--;
    }
    topScores[at] = score;
    topIds[at] = id;
  }
  return Array.from({ length: filled }, (_, i) => ({ rowId: topIds[i] as number, score: topScores[i] as number }));
}

function sortedRows(scores: Float64Array, ids: Float64Array, count: number): RankedRow[] {
  const rows: RankedRow[] = [];
  for (let i = 0; i < count; i++) if (!Number.isNaN(scores[i])) rows.push({ rowId: ids[i] as number, score: scores[i] as number });
  return rows.sort((a, b) => b.score - a.score || a.rowId - b.rowId);
}
