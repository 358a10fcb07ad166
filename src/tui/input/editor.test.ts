import { describe, expect, it } from 'vitest';
import { applyEdit, draftOf, type Draft, type EditOp } from './editor.ts';
import { visualRows } from './visual-rows.ts';

const edit = (draft: Draft, ...ops: EditOp[]): Draft => ops.reduce(applyEdit, draft);

describe('draft editing', () => {
  it('inserts at the cursor and moves it', () => {
    expect(edit(draftOf('helo'), { op: 'left' }, { op: 'insert', text: 'l' })).toEqual({ text: 'hello', cursor: 4 });
  });

  it('backspace and delete remove a whole emoji (surrogate pair)', () => {
    expect(edit(draftOf('a🌸'), { op: 'backspace' })).toEqual({ text: 'a', cursor: 1 });
    expect(edit({ text: '🌸b', cursor: 0 }, { op: 'delete' })).toEqual({ text: 'b', cursor: 0 });
    expect(edit(draftOf('a🌸'), { op: 'left' })).toEqual({ text: 'a🌸', cursor: 1 });
  });

  it('moves between lines keeping the column', () => {
    const d = { text: 'abcdef\nxy\nlonger line', cursor: 4 };
    const down = edit(d, { op: 'down' });
    expect(down.cursor).toBe(9); // end of "xy"
    expect(edit(down, { op: 'down' }).cursor).toBe(12);
    expect(edit(d, { op: 'up' }).cursor).toBe(0);
  });

  it('Left, Right, Backspace and Delete step over whole graphemes: emoji families, flags, accents', () => {
    const family = '👨‍👩‍👧';
    expect(edit(draftOf(`a${family}`), { op: 'backspace' })).toEqual({ text: 'a', cursor: 1 });
    expect(edit(draftOf(`a${family}`), { op: 'left' })).toEqual({ text: `a${family}`, cursor: 1 });
    expect(edit({ text: `${family}b`, cursor: 0 }, { op: 'right' }).cursor).toBe(family.length);
    expect(edit({ text: `${family}b`, cursor: 0 }, { op: 'delete' })).toEqual({ text: 'b', cursor: 0 });
    expect(edit(draftOf('go 🇫🇷'), { op: 'backspace' }).text).toBe('go ');
    expect(edit(draftOf('cafe\u0301'), { op: 'left' }).cursor).toBe(3);
    expect(edit(draftOf('a\nb'), { op: 'left' }, { op: 'left' })).toEqual({ text: 'a\nb', cursor: 1 });
    expect(edit({ text: 'a\nb', cursor: 1 }, { op: 'delete' }).text).toBe('ab');
  });

  it('with the box width, Up/Down move by wrapped row; typing and deleting there keep the cursor where it shows', () => {
    const cols = 12;
    // Rows: "I walk to " / "the old " / "lighthouse"
    let d = edit({ text: 'I walk to the old lighthouse', cursor: 28 }, { op: 'up', columns: cols });
    // Past the end of the shorter row above: its last character, not the start of the next row.
    expect(d.cursor).toBe(17);
    d = edit(d, { op: 'up', columns: cols });
    expect(d.cursor).toBe(7);
    d = edit(d, { op: 'left' }, { op: 'insert', text: ' slowly' });
    expect(d.text).toBe('I walk slowly to the old lighthouse');
    const rows = visualRows(d, cols);
    expect(rows.map((r) => r.text)).toEqual(['I walk ', 'slowly to ', 'the old ', 'lighthouse']);
    expect(rows.findIndex((r) => r.cursor !== null)).toBe(1);
    d = edit(d, { op: 'deleteWordBefore' }, { op: 'backspace' });
    expect(d.text).toBe('I walk to the old lighthouse');
    expect(visualRows(d, cols)[0]?.cursor).toBe(6);
    // On the first row Up goes to the start (the key handler browses history there instead).
    expect(edit(d, { op: 'up', columns: cols }).cursor).toBe(0);
  });

  it('line start/end and the kill keys work on the current line only', () => {
    const d = { text: 'one\ntwo three\nfour', cursor: 8 };
    expect(edit(d, { op: 'lineStart' }).cursor).toBe(4);
    expect(edit(d, { op: 'lineEnd' }).cursor).toBe(13);
    expect(edit(d, { op: 'deleteToLineStart' }).text).toBe('one\nthree\nfour');
    expect(edit(d, { op: 'deleteToLineEnd' }).text).toBe('one\ntwo \nfour');
    expect(edit(draftOf('walk to the  '), { op: 'deleteWordBefore' }).text).toBe('walk to ');
  });
});
