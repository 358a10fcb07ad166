/**
 * The 4-bit form of a scope's vectors (see vector-matrix.ts for the layout): each value is one
 * of 15 levels of its row's largest magnitude, so 100,000 vectors of 512 dimensions take ~26 MB
 * instead of 205 MB. Its scores are close enough to pick candidates that an exact re-rank of a
 * few dozen of them gives the exact top (bench/vectors.ts measures how often it does).
 */
import { BLOCK_ROWS, inverseNormOf, type MatrixQuery, ScopeMatrix } from './vector-matrix.ts';

/** Levels either side of zero; a 4-bit code is the level + 8, so 0 never occurs in a used slot. */
const LEVELS = 7;

export class CompactMatrix extends ScopeMatrix {
  /** Two rows per byte: even slots in the low nibble, odd slots in the high one. */
  private codes: Uint8Array;
  /** Turns a row's sum of (query × level) into a cosine: its largest magnitude / LEVELS / |row|. */
  private scales: Float64Array;

  constructor(dimensions: number, capacity: number) {
    super(dimensions, capacity);
    this.codes = new Uint8Array((dimensions * this.capacity) / 2);
    this.scales = new Float64Array(this.capacity);
  }

  protected bytesPerRow(): number {
    return this.dimensions / 2 + 8;
  }

  private setCode(d: number, slot: number, code: number): void {
    const at = (d * this.capacity) / 2 + (slot >> 1);
    const byte = this.codes[at] as number;
    this.codes[at] = slot & 1 ? (byte & 0x0f) | (code << 4) : (byte & 0xf0) | code;
  }

  private code(d: number, slot: number): number {
    const byte = this.codes[(d * this.capacity) / 2 + (slot >> 1)] as number;
    return slot & 1 ? byte >> 4 : byte & 0x0f;
  }

  protected write(slot: number, vector: Float32Array): void {
    let largest = 0;
    for (let d = 0; d < this.dimensions; d++) largest = Math.max(largest, Math.abs(vector[d] as number));
    const inverseNorm = inverseNormOf(vector);
    const step = largest > 0 ? largest / LEVELS : 1;
    for (let d = 0; d < this.dimensions; d++) this.setCode(d, slot, Math.round((vector[d] as number) / step) + 8);
    this.scales[slot] = step * inverseNorm;
  }

  protected move(from: number, to: number): void {
    for (let d = 0; d < this.dimensions; d++) this.setCode(d, to, this.code(d, from));
    this.scales[to] = this.scales[from] as number;
  }

  protected reallocate(capacity: number): void {
    const codes = new Uint8Array((this.dimensions * capacity) / 2);
    const used = Math.ceil(this.count / 2);
    for (let d = 0; d < this.dimensions; d++) {
      const from = (d * this.capacity) / 2;
      codes.set(this.codes.subarray(from, from + used), (d * capacity) / 2);
    }
    const scales = new Float64Array(capacity);
    scales.set(this.scales.subarray(0, this.count));
    this.codes = codes;
    this.scales = scales;
  }

  protected scores(query: MatrixQuery): Float64Array {
    const { codes, count, scales } = this;
    const half = this.capacity / 2;
    const pairs = Math.ceil(count / 2);
    const sums = this.sums(pairs * 2);
    const { values, nonzero } = query;
    let weights = 0;
    for (let k = 0; k < nonzero.length; k++) weights += values[nonzero[k] as number] as number;
    for (let start = 0; start < pairs; start += BLOCK_ROWS / 2) {
      const end = Math.min(pairs, start + BLOCK_ROWS / 2);
      let k = 0;
      for (; k + 4 <= nonzero.length; k += 4) {
        const [d0, d1, d2, d3] = [nonzero[k] as number, nonzero[k + 1] as number, nonzero[k + 2] as number, nonzero[k + 3] as number];
        const [w0, w1, w2, w3] = [values[d0] as number, values[d1] as number, values[d2] as number, values[d3] as number];
        const [b0, b1, b2, b3] = [d0 * half, d1 * half, d2 * half, d3 * half];
        for (let j = start; j < end; j++) {
          // Plain consts: destructuring an array here costs a fifth of the loop.
          const c0 = codes[b0 + j] as number;
          const c1 = codes[b1 + j] as number;
          const c2 = codes[b2 + j] as number;
          const c3 = codes[b3 + j] as number;
          sums[2 * j] = (sums[2 * j] as number) + w0 * (c0 & 0x0f) + w1 * (c1 & 0x0f) + w2 * (c2 & 0x0f) + w3 * (c3 & 0x0f);
          sums[2 * j + 1] = (sums[2 * j + 1] as number) + w0 * (c0 >> 4) + w1 * (c1 >> 4) + w2 * (c2 >> 4) + w3 * (c3 >> 4);
        }
      }
      for (; k < nonzero.length; k++) {
        const d = nonzero[k] as number;
        const weight = values[d] as number;
        const base = d * half;
        for (let j = start; j < end; j++) {
          const byte = codes[base + j] as number;
          sums[2 * j] = (sums[2 * j] as number) + weight * (byte & 0x0f);
          sums[2 * j + 1] = (sums[2 * j + 1] as number) + weight * (byte >> 4);
        }
      }
    }
    // Codes are levels + 8: take the 8s back out once per row rather than once per value.
    const out = sums.subarray(0, count);
    for (let i = 0; i < count; i++) out[i] = ((out[i] as number) - 8 * weights) * (scales[i] as number) * query.inverseNorm;
    return out;
  }
}
