import { breakRanges } from '../chat/wrap.ts';
import { displayWidth, fitText } from '../chat/width.ts';

/** One line of a full-screen scrolling panel: an entry shows `left` in a column, then `right`. */
export interface PanelLine {
  kind: 'title' | 'heading' | 'entry' | 'note';
  left: string;
  right: string;
}

/** One screen row of a panel; an entry's continuation rows have an empty `left`; `text` is plain text under a name. */
export interface PanelRow {
  kind: PanelLine['kind'] | 'text';
  left: string;
  right: string;
}

/** Columns the panel's padding takes (one each side). */
export const PANEL_PADDING = 2;
/** Below this much room beside the left column, an entry's text goes under its name instead. */
const MIN_RIGHT_WIDTH = 16;
const STACK_INDENT = 2;

/** Word-wrapped pieces of `text`, each at most `width` columns. */
function wrapText(text: string, width: number): string[] {
  if (text === '') return [''];
  return breakRanges(text, Math.max(1, width), Math.max(1, width)).map(([from, to]) => fitText(text.slice(from, to), width));
}

/**
 * The panel's lines as screen rows of `width` columns: long descriptions wrap under their
 * column instead of being cut off, a name too long for its column gets a row of its own, and
 * in a narrow pane the text goes under the name. The title's hint wraps under the title.
 */
export function panelRows(lines: readonly PanelLine[], width: number, leftWidth: number): PanelRow[] {
  const inner = Math.max(1, width - PANEL_PADDING);
  const left = Math.min(leftWidth, inner);
  const stacked = inner - left < MIN_RIGHT_WIDTH;
  const rows: PanelRow[] = [];
  for (const line of lines) {
    if (line.kind === 'heading') {
      rows.push({ kind: 'heading', left: fitText(line.left, inner), right: '' });
      continue;
    }
    if (line.kind === 'note') {
      for (const piece of wrapText(line.left, inner)) rows.push({ kind: 'note', left: piece, right: '' });
      continue;
    }
    if (line.kind === 'title') {
      const together = `${line.left} · ${line.right}`;
      if (displayWidth(together) <= inner) {
        rows.push({ kind: 'title', left: line.left, right: line.right });
        continue;
      }
      rows.push({ kind: 'title', left: fitText(line.left, inner), right: '' });
      for (const piece of wrapText(line.right, inner)) rows.push({ kind: 'note', left: piece, right: '' });
      continue;
    }
    if (stacked) {
      rows.push({ kind: 'entry', left: fitText(line.left, inner), right: '' });
      for (const piece of wrapText(line.right, inner - STACK_INDENT)) rows.push({ kind: 'text', left: `${' '.repeat(STACK_INDENT)}${piece}`, right: '' });
      continue;
    }
    // One column between the name and its text, always.
    const ownRow = displayWidth(line.left) > left - 1;
    if (ownRow) rows.push({ kind: 'entry', left: fitText(line.left, inner), right: '' });
    wrapText(line.right, inner - left).forEach((piece, i) => rows.push({ kind: 'entry', left: i === 0 && !ownRow ? line.left : '', right: piece }));
  }
  return rows;
}
