import { graphemeCells } from '../chat/width.ts';
import type { Draft } from './editor.ts';

/**
 * One screen row of the input box. Offsets are UTF-16 units into the draft; the rows of a
 * logical line cover it without gaps, so every position but a line's end is in exactly one row.
 */
export interface VisualRow {
  text: string;
  /** Where the row's text starts and ends in the draft. */
  start: number;
  end: number;
  /** The last row of its logical line (its end is the line's end, a place the cursor can be). */
  last: boolean;
  /** The cursor's offset in `text` when it is on this row, else null. */
  cursor: number | null;
  /** Length of the grapheme under the cursor (0 at the end of a line). */
  cursorLength: number;
}

/** Room a row needs left for a cut long word to start on it rather than on the next row. */
const MIN_CUT_START = 12;

interface Cell {
  index: number;
  length: number;
  width: number;
  kind: 'space' | 'word' | 'wide';
}

function cellsOf(line: string): Cell[] {
  const cells: Cell[] = [];
  for (const cell of graphemeCells(line)) {
    const space = cell.text === ' ' || cell.text === '\t';
    // A tab shows as one space: a real tab would jump the terminal cursor past the box.
    const width = space ? 1 : cell.width;
    cells.push({ index: cell.index, length: cell.text.length, width, kind: space ? 'space' : width >= 2 ? 'wide' : 'word' });
  }
  return cells;
}

/** [start, end) cell indexes of the rows of one logical line, wrapped at word boundaries. */
function wrapCells(cells: Cell[], columns: number): Array<[number, number]> {
  const rows: Array<[number, number]> = [];
  let rowStart = 0;
  let used = 0;
  const newRow = (at: number): void => {
    rows.push([rowStart, at]);
    rowStart = at;
    used = 0;
  };
  let i = 0;
  while (i < cells.length) {
    const cell = cells[i] as Cell;
    if (cell.kind !== 'word') {
      // Spaces stay at the end of the row they follow; wide characters (CJK, emoji) may break anywhere.
      if (used > 0 && used + cell.width > columns) newRow(i);
      used += cell.width;
      i++;
      continue;
    }
    let end = i;
    let width = 0;
    while (end < cells.length && (cells[end] as Cell).kind === 'word') width += (cells[end++] as Cell).width;
    // A word keeps one column free after it for the space or the cursor that follows.
    if (used > 0 && used + width > columns - 1 && (width <= columns - 1 || columns - used < Math.min(MIN_CUT_START, columns / 2))) newRow(i);
    if (used + width <= columns) {
      used += width;
      i = end;
      continue;
    }
    // Longer than a row (a URL): cut between graphemes.
    for (; i < end; i++) {
      const w = (cells[i] as Cell).width;
      if (used > 0 && used + w > columns) newRow(i);
      used += w;
    }
  }
  rows.push([rowStart, cells.length]);
  // Room for the cursor after a full last row: it goes to the start of a new one.
  if (used >= columns) rows.push([cells.length, cells.length]);
  return rows;
}

/**
 * The draft wrapped to `width` columns at word boundaries (wide characters count 2), so the box
 * knows its exact height and where the cursor is: Ink's own wrapping would make the layout
 * taller than planned and lose the cursor.
 */
export function visualRows(draft: Draft, width: number): VisualRow[] {
  const columns = Math.max(2, width);
  const rows: VisualRow[] = [];
  let lineStart = 0;
  for (const line of draft.text.split('\n')) {
    const cells = cellsOf(line);
    const lineRows = wrapCells(cells, columns);
    const offsetOf = (cell: number): number => (cell < cells.length ? (cells[cell] as Cell).index : line.length);
    const cursor = draft.cursor - lineStart;
    lineRows.forEach(([from, to], r) => {
      const start = offsetOf(from);
      const end = offsetOf(to);
      const last = r === lineRows.length - 1;
      const row: VisualRow = { text: line.slice(start, end), start: lineStart + start, end: lineStart + end, last, cursor: null, cursorLength: 0 };
      // A row's end is the next row's start, except at the end of the line.
      if (cursor >= start && (cursor < end || (last && cursor === end))) {
        const under = cells.slice(from, to).find((c) => cursor >= c.index && cursor < c.index + c.length);
        row.cursor = (under?.index ?? cursor) - start;
        row.cursorLength = under?.length ?? 0;
      }
      rows.push(row);
    });
    lineStart += line.length + 1;
  }
  return rows;
}

/** The draft offset on `row` under display column `column`, or the nearest before the row's end. */
function offsetAtColumn(row: VisualRow, column: number): number {
  let used = 0;
  let lastStart = row.start;
  for (const cell of cellsOf(row.text)) {
    if (used + cell.width > column) return row.start + cell.index;
    used += cell.width;
    lastStart = row.start + cell.index;
  }
  // The end of a wrapped row is the next row's start: stop on its last character instead.
  return row.last ? row.end : lastStart;
}

/**
 * Where Up or Down moves the cursor: the same screen column on the row above or below, wrapped
 * rows included; null on the first (Up) or last (Down) row, where the keys browse input history.
 */
export function verticalTarget(draft: Draft, width: number, direction: -1 | 1): number | null {
  const rows = visualRows(draft, width);
  const at = rows.findIndex((row) => row.cursor !== null);
  const here = rows[at];
  const target = rows[at + direction];
  if (!here || !target) return null;
  let column = 0;
  for (const cell of cellsOf(here.text.slice(0, here.cursor ?? 0))) column += cell.width;
  return offsetAtColumn(target, column);
}
