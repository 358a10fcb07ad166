import stringWidth from 'string-width';
import type { Draft } from './editor.ts';

/** One screen row of the input box; `cursor` is the code-unit offset of the cursor in `text`, if here. */
export interface VisualRow {
  text: string;
  cursor: number | null;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Hard-wraps the draft to `width` columns (wide characters count 2) so the box knows its
 * exact height: Ink's own wrapping would make the layout taller than planned.
 */
export function visualRows(draft: Draft, width: number): VisualRow[] {
  const columns = Math.max(2, width);
  const rows: VisualRow[] = [];
  let lineStart = 0;
  for (const line of draft.text.split('\n')) {
    const cursorInLine = draft.cursor >= lineStart && draft.cursor <= lineStart + line.length ? draft.cursor - lineStart : null;
    let row = '';
    let rowWidth = 0;
    let rowStart = 0;
    let cursor: number | null = null;
    for (const { segment, index } of graphemes.segment(line)) {
      const cells = stringWidth(segment);
      if (rowWidth + cells > columns) {
        rows.push({ text: row, cursor });
        row = '';
        rowWidth = 0;
        rowStart = index;
        cursor = null;
      }
      if (cursorInLine === index) cursor = index - rowStart;
      row += segment;
      rowWidth += cells;
    }
    if (cursorInLine === line.length) {
      // The cursor after a full row goes to the start of a new one.
      if (rowWidth + 1 > columns) {
        rows.push({ text: row, cursor });
        row = '';
        rowStart = line.length;
        cursor = null;
      }
      cursor = line.length - rowStart;
    }
    rows.push({ text: row, cursor });
    lineStart += line.length + 1;
  }
  return rows;
}
