import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { keyBindings } from '../input/keybindings.ts';
import { helpLines } from './HelpScreen.tsx';
import { panelRows, type PanelLine, type PanelRow } from './panel-rows.ts';

const entry = (left: string, right: string): PanelLine => ({ kind: 'entry', left, right });
/** A row as it shows: the name padded to its column, then the text. */
const shown = (row: PanelRow, leftWidth: number): string => (row.kind === 'entry' && row.right !== '' ? row.left.padEnd(leftWidth) + row.right : row.left);

describe('panel rows', () => {
  it('a description longer than the row wraps under its column, at word boundaries', () => {
    const rows = panelRows([entry('Ctrl+T', 'Show or hide the narrator thinking of reasoning models')], 40, 12);
    expect(rows.map((r) => shown(r, 12))).toEqual(['Ctrl+T      Show or hide the narrator', '            thinking of reasoning', '            models']);
  });

  it('a name too long for its column gets a row of its own, never touching its text', () => {
    const rows = panelRows([entry('/world attach_lore <text>', 'Add lore to the active world')], 60, 20);
    expect(rows.map((r) => shown(r, 20))).toEqual(['/world attach_lore <text>', '                    Add lore to the active world']);
    // One column short of the full width still leaves a gap.
    expect(panelRows([entry('abcdefghij', 'text')], 60, 10)[0]).toMatchObject({ left: 'abcdefghij', right: '' });
  });

  it('in a narrow pane the text goes under the name, indented', () => {
    const rows = panelRows([entry('Ctrl+O', 'Show or hide the context inspector')], 24, 9);
    expect(rows.map((r) => r.left)).toEqual(['Ctrl+O', '  Show or hide the', '  context inspector']);
  });

  it('notes wrap; the title keeps its hint, on the next rows when it does not fit', () => {
    const lines: PanelLine[] = [
      { kind: 'title', left: 'Flower help', right: 'Esc, F1 or Enter closes · Up/Down/PgUp/PgDn scroll' },
      { kind: 'note', left: 'Mouse wheel scrolling captures the mouse: hold Shift to select text', right: '' },
    ];
    const rows = panelRows(lines, 40, 12);
    expect(rows[0]).toEqual({ kind: 'title', left: 'Flower help', right: '' });
    expect(rows.map((r) => r.left).join(' ')).toContain('Esc, F1 or Enter closes · Up/Down/PgUp/PgDn scroll');
    expect(rows.map((r) => r.left).join(' ')).toContain('Mouse wheel scrolling captures the mouse: hold Shift to select text');
    expect(panelRows(lines, 120, 32)[0]).toMatchObject({ kind: 'title', right: 'Esc, F1 or Enter closes · Up/Down/PgUp/PgDn scroll' });
  });

  it('the whole help fits any width: no row wider than the pane, no word lost', () => {
    const lines = helpLines([], keyBindings);
    for (const width of [20, 33, 60, 100]) {
      const left = Math.min(32, Math.floor(width / 2.5));
      const rows = panelRows(lines, width, left);
      for (const row of rows) expect(stringWidth(shown(row, left)), JSON.stringify(row)).toBeLessThanOrEqual(width - 2);
      const words = rows.map((r) => `${r.left} ${r.right}`).join(' ').split(/\s+/);
      for (const binding of keyBindings) for (const word of binding.description.split(' ')) expect(words).toContain(word);
    }
  });
});
