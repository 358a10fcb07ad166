import { describe, expect, it } from 'vitest';
import { applyEdit, draftOf, onFirstLine, onLastLine, type Draft, type EditOp } from './editor.ts';

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
    expect(onFirstLine(d)).toBe(true);
    expect(onLastLine(d)).toBe(false);
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
