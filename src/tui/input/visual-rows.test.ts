import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { applyEdit, type Draft } from './editor.ts';
import { verticalTarget, visualRows, type VisualRow } from './visual-rows.ts';

const texts = (draft: Draft, width: number): string[] => visualRows(draft, width).map((r) => r.text);
const cursorRow = (draft: Draft, width: number): { row: number; at: number | null } => {
  const rows = visualRows(draft, width);
  const row = rows.findIndex((r) => r.cursor !== null);
  return { row, at: rows[row]?.cursor ?? null };
};
/** What the box shows: the cursor as `|` before the character under it. */
const screen = (draft: Draft, width: number): string[] =>
  visualRows(draft, width).map((r: VisualRow) => (r.cursor === null ? r.text : `${r.text.slice(0, r.cursor)}|${r.text.slice(r.cursor)}`));

describe('input rows', () => {
  it('keeps short lines as they are and marks the cursor', () => {
    expect(visualRows({ text: 'ab\ncd', cursor: 4 }, 10)).toEqual([
      { text: 'ab', start: 0, end: 2, last: true, cursor: null, cursorLength: 0 },
      { text: 'cd', start: 3, end: 5, last: true, cursor: 1, cursorLength: 1 },
    ]);
  });

  it('wraps at word boundaries: a word that does not fit moves whole to the next row', () => {
    expect(texts({ text: 'I walk to the old lighthouse', cursor: 0 }, 12)).toEqual(['I walk to ', 'the old ', 'lighthouse']);
    // Every character is in exactly one row: the spaces stay at the end of the row they follow.
    expect(texts({ text: 'I walk to the old lighthouse', cursor: 0 }, 12).join('')).toBe('I walk to the old lighthouse');
  });

  it('cuts a word longer than a row between graphemes', () => {
    expect(texts({ text: 'abcdef', cursor: 0 }, 4)).toEqual(['abcd', 'ef']);
    expect(texts({ text: 'see https://example.com/a/long/path', cursor: 0 }, 12)).toEqual(['see https://', 'example.com/', 'a/long/path']);
  });

  it('measures wide characters and emoji as two columns and may break between them', () => {
    expect(texts({ text: '世界世界', cursor: 0 }, 5)).toEqual(['世界', '世界']);
    expect(texts({ text: 'go 🌊🌊🌊 now', cursor: 0 }, 8)).toEqual(['go 🌊🌊', '🌊 now']);
  });

  it('puts the cursor in the row that holds it, and after a full row on a new one', () => {
    expect(cursorRow({ text: 'abcdef', cursor: 5 }, 4)).toEqual({ row: 1, at: 1 });
    expect(visualRows({ text: 'abcd', cursor: 4 }, 4).map((r) => [r.text, r.cursor])).toEqual([
      ['abcd', null],
      ['', 0],
    ]);
  });

  it('the start of a wrapped row is the cursor on that row, not the end of the row above', () => {
    expect(screen({ text: 'hello world', cursor: 6 }, 8)).toEqual(['hello ', '|world']);
    expect(screen({ text: 'hello world', cursor: 5 }, 8)).toEqual(['hello| ', 'world']);
    expect(screen({ text: 'hello world', cursor: 11 }, 8)).toEqual(['hello ', 'world|']);
  });

  it('typing at the end of a word-wrapped line needs no extra row: a word leaves a column for the cursor', () => {
    expect(visualRows({ text: 'one two three', cursor: 13 }, 14)).toHaveLength(1);
    expect(screen({ text: 'one two threes', cursor: 14 }, 14)).toEqual(['one two ', 'threes|']);
  });

  it('the cursor covers a whole grapheme: an emoji family, a flag, a wide character', () => {
    const family = '👨‍👩‍👧';
    const row = visualRows({ text: `a${family}b`, cursor: 1 }, 20)[0];
    expect(row).toMatchObject({ cursor: 1, cursorLength: family.length });
    expect(visualRows({ text: 'x🇫🇷', cursor: 1 }, 20)[0]).toMatchObject({ cursor: 1, cursorLength: 4 });
    // A cursor inside a grapheme (never made by editing, but text can come from anywhere) still shows.
    expect(visualRows({ text: `a${family}`, cursor: 3 }, 20)[0]).toMatchObject({ cursor: 1, cursorLength: family.length });
  });

  it('a tab takes one column', () => {
    expect(visualRows({ text: 'a\tbc', cursor: 0 }, 4).map((r) => r.text)).toEqual(['a\t', 'bc']);
  });

  it('no row is wider than the box, every character is shown once, and the cursor is always on one row', () => {
    const piece = fc.constantFrom('a', 'word', ' ', '  ', '\n', '世', '🌊', '👨‍👩‍👧', 'é', 'https://x.example/long/path');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 2, max: 30 }), fc.nat(), (pieces, width, at) => {
        const text = pieces.join('');
        const cursor = at % (text.length + 1);
        const rows = visualRows({ text, cursor }, width);
        for (const row of rows) expect(stringWidth(row.text)).toBeLessThanOrEqual(width);
        expect(rows.filter((r) => r.cursor !== null)).toHaveLength(1);
        expect(rows.map((r) => r.text).join('')).toBe(text.replace(/\n/g, ''));
      }),
    );
  });
});

describe('Up and Down by screen row', () => {
  const draft = { text: 'I walk to the old lighthouse', cursor: 0 };

  it('moves to the same column on the row above or below; null at the first and last row', () => {
    expect(verticalTarget({ ...draft, cursor: 2 }, 12, -1)).toBeNull();
    expect(verticalTarget({ ...draft, cursor: 2 }, 12, 1)).toBe(12); // "the old " row, column 2
    expect(verticalTarget({ ...draft, cursor: 12 }, 12, 1)).toBe(20); // "lighthouse", column 2
    expect(verticalTarget({ ...draft, cursor: 20 }, 12, 1)).toBeNull();
    expect(verticalTarget({ ...draft, cursor: 20 }, 12, -1)).toBe(12);
  });

  it('past the end of a shorter wrapped row, stops on its last character, not the next row', () => {
    // "I walk to " (10) above "the old " (8): from column 9 down lands on the row's trailing space.
    expect(verticalTarget({ ...draft, cursor: 9 }, 12, 1)).toBe(17);
    const down = applyEdit({ ...draft, cursor: 9 }, { op: 'down', columns: 12 });
    expect(cursorRow(down, 12).row).toBe(1);
  });

  it('at the end of a logical line, goes to the line end', () => {
    expect(verticalTarget({ text: 'a long first line\nab', cursor: 10 }, 40, 1)).toBe(20);
    expect(verticalTarget({ text: 'ab\na long first line', cursor: 13 }, 40, -1)).toBe(2);
  });

  it('keeps the screen column across wide characters', () => {
    // Column 4 on "世界世界" (rows of two) is the start of the third character's row position.
    expect(verticalTarget({ text: 'abcd\n世界世界', cursor: 2 }, 40, 1)).toBe(6);
    expect(verticalTarget({ text: 'abcd\n世界世界', cursor: 3 }, 40, 1)).toBe(6);
    expect(verticalTarget({ text: '世界\nabcd', cursor: 1 }, 40, 1)).toBe(5);
  });
});
