import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { markdownLines } from './markdown.ts';
import type { LogicalLine, Row } from './types.ts';
import { breakRanges, wrapLine } from './wrap.ts';

const line = (text: string): LogicalLine => ({ kind: 'text', prefix: [], hang: [], runs: [{ text, style: {} }] });
const rowText = (row: Row): string => row.map((s) => s.text).join('');
const wrap = (text: string, width: number): string[] => wrapLine(line(text), width).map(rowText);

describe('wrapLine', () => {
  test('breaks between words and drops the spaces at breaks', () => {
    expect(wrap('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  test('keeps inner spacing and leading indentation', () => {
    expect(wrap('    indented  two', 40)).toEqual(['    indented  two']);
  });

  test('CJK counts two columns and breaks between characters', () => {
    const rows = wrap('日本語のテキストです', 7);
    expect(rows).toEqual(['日本語', 'のテキ', 'ストで', 'す']);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(7);
  });

  test('emoji count two columns and are never split inside a grapheme', () => {
    const family = '👨‍👩‍👧';
    const rows = wrap(`${family}${family}${family}👋🏽👋🏽`, 4);
    expect(rows).toEqual([`${family}${family}`, `${family}👋🏽`, '👋🏽']);
  });

  test('a word longer than the row is cut; a long URL starts on its own row', () => {
    expect(wrap('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrap('a longer lead https://example.com/a/very/long/path', 20)).toEqual([
      'a longer lead',
      'https://example.com/',
      'a/very/long/path',
    ]);
    expect(wrap('see https://example.com/a/very/long/path', 20)).toEqual(['see https://example.', 'com/a/very/long/path']);
  });

  test('tabs expand to the next stop of four columns', () => {
    expect(wrap('a\tbc\td', 40)).toEqual(['a   bc  d']);
  });

  test('styles survive a break in the middle of a run', () => {
    const rows = wrapLine({ kind: 'text', prefix: [], hang: [], runs: [{ text: 'plain ', style: {} }, { text: 'bold words here', style: { bold: true } }] }, 11);
    expect(rows.map(rowText)).toEqual(['plain bold', 'words here']);
    expect(rows[0]?.[1]).toEqual({ text: 'bold', style: { bold: true } });
    expect(rows[1]?.[0]).toEqual({ text: 'words here', style: { bold: true } });
  });

  test('a word made of several styled runs is not broken between the runs', () => {
    const rows = wrapLine(
      { kind: 'text', prefix: [], hang: [], runs: [{ text: 'aaaa ', style: {} }, { text: 'bold', style: { bold: true } }, { text: ',', style: {} }] },
      8,
    );
    expect(rows.map(rowText)).toEqual(['aaaa', 'bold,']);
  });

  test('continuation rows start with the hanging indent', () => {
    const [item] = markdownLines('- a list item long enough to wrap');
    expect(wrapLine(item as LogicalLine, 14).map(rowText)).toEqual(['• a list item', '  long enough', '  to wrap']);
  });

  test('rules fill the room after their prefix', () => {
    expect(wrapLine({ kind: 'rule', prefix: [{ text: '│ ', style: {} }], hang: [], runs: [] }, 12).map(rowText)).toEqual(['│ ──────────']);
  });

  test('a prefix too wide for the pane is dropped rather than squeezing the text out', () => {
    const deep: LogicalLine = { kind: 'text', prefix: [{ text: '│ │ │ │ ', style: {} }], hang: [{ text: '│ │ │ │ ', style: {} }], runs: [{ text: 'words', style: {} }] };
    expect(wrapLine(deep, 10).map(rowText)).toEqual(['words']);
  });

  test('an empty line is one row', () => {
    expect(wrap('', 10)).toEqual(['']);
  });

  test('a wide character cannot fit a one-column row and is skipped rather than overflowing', () => {
    expect(breakRanges('日a', 1, 1)).toEqual([[1, 2]]);
  });
});

describe('wrapping never exceeds the width (property)', () => {
  const piece = fc.constantFrom('a', 'word', ' ', '  ', '\t', '日本', '語', '👋🏽', '👨‍👩‍👧', 'https://example.com/long/path', 'é', '—', '**b**', '`c`', '\n');
  test('any mix of narrow, wide, emoji, tabs and long words', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 2, max: 50 }), (pieces, width) => {
        const text = pieces.join('');
        for (const logical of markdownLines(`- > ${text}`).concat(markdownLines(text))) {
          for (const row of wrapLine(logical, width)) expect(stringWidth(rowText(row))).toBeLessThanOrEqual(width);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('no visible character is lost when wrapping plain text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 2, max: 30 }), (pieces, width) => {
        const text = pieces.join('').replace(/[\t\n]/g, ' ');
        const rows = wrap(text, width);
        expect(rows.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      }),
      { numRuns: 300 },
    );
  });
});
