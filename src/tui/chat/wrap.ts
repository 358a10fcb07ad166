import type { LogicalLine, Row, Segment, Style } from './types.ts';
import { displayWidth, graphemeCells, PRINTABLE_ASCII } from './width.ts';

const TAB_STOP = 4;
const CJK_CLASS =
  '\\u1100-\\u115f\\u2e80-\\u303e\\u3041-\\u33ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua000-\\ua4cf' +
  '\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uff60\\uffe0-\\uffe6\\u{20000}-\\u{3fffd}';
// A run of spaces, one CJK character (lines may break between any two of them), or a word.
const TOKEN = new RegExp(` +|[${CJK_CLASS}]|[^ ${CJK_CLASS}]+`, 'gu');

/** [start, end) offsets into the line's text, one pair per row. */
export type RowRange = [number, number];

/** Room a row needs left for a cut long word to start on it rather than on the next row. */
const MIN_CUT_START = 12;
/** Smallest room for text after a prefix; below it the prefix is dropped rather than the text squeezed. */
const MIN_TEXT_WIDTH = 8;

/** One logical line cut into rows of at most `width` columns, prefix and hang included. */
export function wrapLine(line: LogicalLine, width: number): Row[] {
  const [prefix, prefixWidth] = fitPrefix(line.prefix, width);
  const [hang, hangWidth] = fitPrefix(line.hang, width);
  const firstRoom = width - prefixWidth;
  const restRoom = width - hangWidth;
  if (line.kind === 'rule') return [[...prefix, { text: '─'.repeat(Math.max(0, firstRoom)), style: { role: 'rule' } }]];

  const flat = flatten(line.runs);
  if (flat.text === '') return [prefix];
  return breakRanges(flat.text, firstRoom, restRoom).map((range, i) => [
    ...(i === 0 ? prefix : hang),
    ...sliceRuns(flat, range),
  ]);
}

/**
 * Greedy word wrap by display width. Spaces where a row breaks are dropped; spaces at the very
 * start are kept (code indentation). A word longer than a whole row is cut between graphemes,
 * starting on the current row if it has room. A grapheme wider than a row (a wide character
 * at width 1) cannot be shown and is skipped, because no row may exceed its width.
 */
export function breakRanges(text: string, firstWidth: number, restWidth: number): RowRange[] {
  const rows = new RowBuilder(firstWidth, restWidth);
  if (PRINTABLE_ASCII.test(text)) {
    // The common case, scanned by hand: no regex matches or width lookups to allocate.
    let at = 0;
    while (at < text.length) {
      const space = text.charCodeAt(at) === 32;
      let next = at + 1;
      while (next < text.length && (text.charCodeAt(next) === 32) === space) next++;
      rows.token(text, at, next - at, next - at, space);
      at = next;
    }
    return rows.finish();
  }
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const space = token.charCodeAt(0) === 32;
    rows.token(text, match.index, token.length, space ? token.length : displayWidth(token), space);
  }
  return rows.finish();
}

class RowBuilder {
  private readonly rows: RowRange[] = [];
  private limit: number;
  private start = 0;
  private end = 0;
  private used = 0;
  private gap = 0;
  private empty = true;

  constructor(
    firstWidth: number,
    private readonly restWidth: number,
  ) {
    this.limit = firstWidth;
  }

  token(text: string, at: number, length: number, width: number, space: boolean): void {
    if (space && at !== 0) {
      if (!this.empty) this.gap += length;
      return;
    }
    if (this.empty ? width <= this.limit : this.used + this.gap + width <= this.limit) {
      this.place(at, length, width);
      return;
    }
    if (width <= this.restWidth) {
      if (!this.empty) this.newRow();
      this.place(at, length, width);
      return;
    }
    // Cutting a long word (a URL) right after a few columns of it reads badly: start it afresh.
    if (!this.empty && this.limit - this.used - this.gap < Math.min(MIN_CUT_START, this.restWidth / 2)) this.newRow();
    for (const cell of graphemeCells(text.slice(at, at + length))) {
      if (cell.width > this.restWidth && cell.width > this.limit) continue;
      if (!this.empty && this.used + this.gap + cell.width > this.limit) this.newRow();
      if (this.empty && cell.width > this.limit) continue;
      this.place(at + cell.index, cell.text.length, cell.width);
    }
  }

  finish(): RowRange[] {
    if (!this.empty || this.rows.length === 0) this.rows.push([this.start, this.empty ? this.start : this.end]);
    return this.rows;
  }

  private newRow(): void {
    this.rows.push([this.start, this.end]);
    this.limit = this.restWidth;
    this.used = 0;
    this.gap = 0;
    this.empty = true;
  }

  private place(at: number, length: number, width: number): void {
    if (this.empty) {
      this.start = at;
      this.used = width;
      this.empty = false;
    } else {
      this.used += this.gap + width;
    }
    this.end = at + length;
    this.gap = 0;
  }
}

interface FlatLine {
  text: string;
  ends: number[];
  styles: Style[];
}

/** The runs as one string (tabs expanded to the next stop) plus where each run ends. */
function flatten(runs: Segment[]): FlatLine {
  let text = '';
  let column = 0;
  const ends: number[] = [];
  const styles: Style[] = [];
  for (const run of runs) {
    let part = '';
    run.text.split('\t').forEach((piece, i) => {
      if (i > 0) {
        const pad = TAB_STOP - (column % TAB_STOP);
        part += ' '.repeat(pad);
        column += pad;
      }
      part += piece;
      column += displayWidth(piece);
    });
    text += part;
    ends.push(text.length);
    styles.push(run.style);
  }
  return { text, ends, styles };
}

function sliceRuns(flat: FlatLine, [from, to]: RowRange): Segment[] {
  const segments: Segment[] = [];
  let runStart = 0;
  flat.ends.forEach((runEnd, i) => {
    const a = Math.max(from, runStart);
    const b = Math.min(to, runEnd);
    if (a < b) segments.push({ text: flat.text.slice(a, b), style: flat.styles[i] ?? {} });
    runStart = runEnd;
  });
  return segments;
}

function fitPrefix(prefix: Segment[], width: number): [Segment[], number] {
  if (prefix.length === 0) return [prefix, 0];
  const prefixWidth = segmentsWidth(prefix);
  return width - prefixWidth >= Math.min(MIN_TEXT_WIDTH, width) ? [prefix, prefixWidth] : [[], 0];
}

export function segmentsWidth(segments: Segment[]): number {
  let width = 0;
  for (const segment of segments) width += displayWidth(segment.text);
  return width;
}
